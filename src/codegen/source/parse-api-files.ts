/**
 * Reads `api/<version>/*.ts` syntactically with ts-morph (no type checker, no lib, which keeps a run
 * near controller-gen's speed: docs/architecture.md) into the plain model of `model.ts`: declarations, their JSDoc and `//` doc
 * lines, and their markers, which are parsed and linted here (unknown names, bad values).
 */
import type * as TsMorph from 'ts-morph';
import type { Node as MorphNode, PropertySignature, SourceFile, TypeElementTypes, TypeNode } from 'ts-morph';
import type { Diagnostics, SourceLocation } from '../diagnostics.js';
import { parseMarker, type Marker } from '../markers/index.js';
import type { ApiFile, FieldDecl, TypeDecl, TypeExpr } from './model.js';
import { readComments } from './comments.js';
import { loadTsMorph } from './load-ts-morph.js';

type Morph = typeof TsMorph;

export interface ApiFileText {
  path: string;
  version: string;
  text: string;
}

/** Parses every file; markers that are not attached to a declaration must be package markers. */
export async function parseApiFiles(files: ApiFileText[], diagnostics: Diagnostics): Promise<ApiFile[]> {
  const morph = loadTsMorph();
  const project = new morph.Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { noLib: true },
  });
  return files.map((file) => {
    const source = project.createSourceFile(file.path, file.text, { overwrite: true });
    return new FileParser(morph, source, file, diagnostics).parse();
  });
}

class FileParser {
  private readonly consumedLines = new Set<number>();
  private readonly packageMarkers: Marker[] = [];

  constructor(
    private readonly morph: Morph,
    private readonly source: SourceFile,
    private readonly file: ApiFileText,
    private readonly diagnostics: Diagnostics,
  ) {}

  parse(): ApiFile {
    const decls = new Map<string, TypeDecl>();
    const imports = new Map<string, { module: string; name: string }>();
    for (const declaration of this.source.getImportDeclarations()) {
      const module = declaration.getModuleSpecifierValue();
      for (const named of declaration.getNamedImports()) {
        imports.set(named.getAliasNode()?.getText() ?? named.getName(), { module, name: named.getName() });
      }
      const namespace = declaration.getNamespaceImport();
      if (namespace) imports.set(namespace.getText(), { module, name: '*' });
    }
    for (const declaration of this.source.getInterfaces()) {
      const { doc, markers } = this.commentsOf(declaration);
      const body: TypeExpr = {
        kind: 'object',
        fields: this.fieldsOf(declaration.getMembers()),
        index: this.indexOf(declaration.getMembers()),
        loc: this.loc(declaration),
      };
      const bases = declaration.getExtends().map((base): TypeExpr => this.typeExpr(base));
      const type: TypeExpr =
        bases.length === 0 ? body : { kind: 'intersection', members: [...bases, body], loc: this.loc(declaration) };
      decls.set(declaration.getName(), { name: declaration.getName(), type, doc, markers, loc: this.loc(declaration) });
    }
    for (const declaration of this.source.getTypeAliases()) {
      const { doc, markers } = this.commentsOf(declaration);
      decls.set(declaration.getName(), {
        name: declaration.getName(),
        type: this.typeExpr(declaration.getTypeNodeOrThrow()),
        doc,
        markers,
        loc: this.loc(declaration),
      });
    }
    this.collectLooseMarkers();
    return { path: this.file.path, version: this.file.version, decls, imports, packageMarkers: this.packageMarkers };
  }

  private loc(node: MorphNode): SourceLocation {
    // The compiler's line map (binary search), not ts-morph's line counting (a scan per call).
    return {
      file: this.file.path,
      line: this.source.compilerNode.getLineAndCharacterOfPosition(node.getStart()).line + 1,
    };
  }

  private commentsOf(node: MorphNode): { doc: string; markers: Marker[] } {
    const comments = readComments(this.source.getFullText(), node.getFullStart(), node.getStart(), this.source);
    const markers: Marker[] = [];
    for (const line of comments.markerLines) {
      this.consumedLines.add(line.line);
      const marker = this.parseMarkerAt(line.text, line.line);
      if (!marker || marker.definition.targets.includes('anywhere')) continue;
      if (marker.definition.targets.includes('package') && !marker.definition.targets.includes('field'))
        this.packageMarkers.push(marker);
      else markers.push(marker);
    }
    return { doc: comments.doc, markers };
  }

  private parseMarkerAt(text: string, line: number): Marker | undefined {
    const loc = { file: this.file.path, line };
    const result = parseMarker(text, loc);
    if ('error' in result) this.diagnostics.error(loc, result.error);
    return 'marker' in result ? result.marker : undefined;
  }

  /** Marker lines nowhere near a declaration (file headers, trailing comments): package markers only. */
  private collectLooseMarkers(): void {
    const lines = this.source.getFullText().split('\n');
    lines.forEach((text, index) => {
      const line = index + 1;
      const match = /^\s*(?:\/\/|\/\*+|\*)\s*\+(.*?)\s*(?:\*\/)?$/.exec(text);
      if (!match || this.consumedLines.has(line)) return;
      const marker = this.parseMarkerAt(match[1], line);
      if (!marker) return;
      if (marker.definition.targets.includes('anywhere')) return;
      if (marker.definition.targets.includes('package')) this.packageMarkers.push(marker);
      else
        this.diagnostics.error(
          marker.loc,
          `+${marker.definition.name} is not attached to a type or field (put it directly above one)`,
        );
    });
  }

  private fieldsOf(members: TypeElementTypes[]): FieldDecl[] {
    const fields: FieldDecl[] = [];
    for (const member of members) {
      if (this.morph.Node.isPropertySignature(member)) fields.push(this.field(member));
      else if (!this.morph.Node.isIndexSignatureDeclaration(member)) {
        this.diagnostics.error(
          this.loc(member),
          `unsupported member "${member.getText()}": API types may only declare properties`,
        );
      }
    }
    return fields;
  }

  private indexOf(members: TypeElementTypes[]): TypeExpr | undefined {
    const index = members.find((m) => this.morph.Node.isIndexSignatureDeclaration(m));
    if (!index || !this.morph.Node.isIndexSignatureDeclaration(index)) return undefined;
    this.commentsOf(index);
    return this.typeExpr(index.getReturnTypeNodeOrThrow());
  }

  private field(member: PropertySignature): FieldDecl {
    const { doc, markers } = this.commentsOf(member);
    const nameNode = member.getNameNode();
    const name = this.morph.Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : member.getName();
    const typeNode = member.getTypeNode();
    const type: TypeExpr = typeNode
      ? this.typeExpr(typeNode)
      : { kind: 'unsupported', text: `${name} (no type annotation)`, loc: this.loc(member) };
    return { name, optional: member.hasQuestionToken(), type, doc, markers, loc: this.loc(member) };
  }

  private typeExpr(node: TypeNode | MorphNode): TypeExpr {
    const { Node, SyntaxKind } = this.morph;
    const loc = this.loc(node);
    switch (node.getKind()) {
      case SyntaxKind.StringKeyword:
        return { kind: 'keyword', name: 'string', loc };
      case SyntaxKind.NumberKeyword:
        return { kind: 'keyword', name: 'number', loc };
      case SyntaxKind.BooleanKeyword:
        return { kind: 'keyword', name: 'boolean', loc };
      case SyntaxKind.UnknownKeyword:
        return { kind: 'keyword', name: 'unknown', loc };
      case SyntaxKind.AnyKeyword:
        return { kind: 'keyword', name: 'any', loc };
      case SyntaxKind.ObjectKeyword:
        return { kind: 'keyword', name: 'object', loc };
      case SyntaxKind.UndefinedKeyword:
        return { kind: 'keyword', name: 'undefined', loc };
    }
    if (Node.isLiteralTypeNode(node)) {
      const literal = node.getLiteral();
      if (Node.isNullLiteral(literal)) return { kind: 'keyword', name: 'null', loc };
      if (Node.isStringLiteral(literal) || Node.isNoSubstitutionTemplateLiteral(literal))
        return { kind: 'literal', value: literal.getLiteralValue(), loc };
      if (Node.isNumericLiteral(literal)) return { kind: 'literal', value: literal.getLiteralValue(), loc };
      if (Node.isTrueLiteral(literal) || Node.isFalseLiteral(literal))
        return { kind: 'literal', value: literal.getLiteralValue(), loc };
      if (Node.isPrefixUnaryExpression(literal)) return { kind: 'literal', value: Number(literal.getText()), loc };
    }
    if (Node.isParenthesizedTypeNode(node)) return this.typeExpr(node.getTypeNode());
    if (Node.isArrayTypeNode(node)) return { kind: 'array', element: this.typeExpr(node.getElementTypeNode()), loc };
    if (Node.isTypeOperatorTypeNode(node) && node.getOperator() === SyntaxKind.ReadonlyKeyword)
      return this.typeExpr(node.getTypeNode());
    if (Node.isUnionTypeNode(node))
      return { kind: 'union', members: node.getTypeNodes().map((t) => this.typeExpr(t)), loc };
    if (Node.isIntersectionTypeNode(node))
      return { kind: 'intersection', members: node.getTypeNodes().map((t) => this.typeExpr(t)), loc };
    if (Node.isTypeLiteral(node))
      return { kind: 'object', fields: this.fieldsOf(node.getMembers()), index: this.indexOf(node.getMembers()), loc };
    if (Node.isTypeReference(node) || Node.isExpressionWithTypeArguments(node)) {
      const nameNode = Node.isTypeReference(node) ? node.getTypeName() : node.getExpression();
      return { kind: 'ref', name: nameNode.getText(), args: node.getTypeArguments().map((t) => this.typeExpr(t)), loc };
    }
    return { kind: 'unsupported', text: node.getText(), loc };
  }
}
