/**
 * Reads the type nodes of one API file into the plain model: type expressions, the members of
 * interfaces and type literals with their docs and markers. What TypeScript would reject in a type
 * member, or what the model cannot hold (initializers, modifiers, computed or private names,
 * methods, a member declared twice, a second or non-string index signature), is a file:line
 * error, never skipped.
 */
import type * as TsMorph from 'ts-morph';
import type { Node as MorphNode, PropertySignature, SourceFile, TypeElementTypes, TypeNode } from 'ts-morph';
import type { Diagnostics, SourceLocation } from '../diagnostics.js';
import { parseMarker, type Marker } from '../markers/index.js';
import { readComments } from './comments.js';
import type { FieldDecl, TypeExpr } from './model.js';

type Morph = typeof TsMorph;

export interface Members {
  fields: FieldDecl[];
  index?: TypeExpr;
}

export class TypeReader {
  /** Lines of marker comments attached to a declaration (the rest are package markers or errors). */
  readonly consumedLines = new Set<number>();
  readonly packageMarkers: Marker[] = [];

  constructor(
    private readonly morph: Morph,
    private readonly source: SourceFile,
    private readonly path: string,
    private readonly diagnostics: Diagnostics,
  ) {}

  loc(node: MorphNode): SourceLocation {
    // The compiler's line map (binary search), not ts-morph's line counting (a scan per call).
    return { file: this.path, line: this.source.compilerNode.getLineAndCharacterOfPosition(node.getStart()).line + 1 };
  }

  error(node: MorphNode, message: string): void {
    this.diagnostics.error(this.loc(node), message);
  }

  commentsOf(node: MorphNode): { doc: string; markers: Marker[] } {
    const comments = readComments(this.source.getFullText(), node.getFullStart(), node.getStart(), this.source);
    const markers: Marker[] = [];
    const isMember = this.morph.Node.isPropertySignature(node) || this.morph.Node.isIndexSignatureDeclaration(node);
    for (const line of comments.markerLines) {
      this.consumedLines.add(line.line);
      const marker = this.parseMarkerAt(line.text, line.line);
      if (!marker || marker.definition.targets.includes('anywhere')) continue;
      const packageOnly = marker.definition.targets.includes('package') && !marker.definition.targets.includes('field');
      if (packageOnly && isMember)
        this.diagnostics.error(
          marker.loc,
          `+${marker.definition.name} is a package marker, read only from a file's header comment: move it to the top of the file, above the imports`,
        );
      else if (packageOnly) this.packageMarkers.push(marker);
      else markers.push(marker);
    }
    return { doc: comments.doc, markers };
  }

  parseMarkerAt(text: string, line: number): Marker | undefined {
    const loc = { file: this.path, line };
    const result = parseMarker(text, loc);
    if ('error' in result) this.diagnostics.error(loc, result.error);
    return 'marker' in result ? result.marker : undefined;
  }

  /** The properties and the index signature of an interface body or a type literal. */
  members(members: TypeElementTypes[]): Members {
    const { Node } = this.morph;
    const fields: FieldDecl[] = [];
    let index: TypeExpr | undefined;
    const lineOf = new Map<string, number>();
    for (const member of members) {
      if (Node.isPropertySignature(member)) {
        const field = this.field(member);
        if (!field) continue;
        const first = lineOf.get(field.name);
        if (first !== undefined) {
          this.diagnostics.error(
            field.loc,
            `"${field.name}" is declared twice in this type (first at line ${first}): remove one of them`,
          );
          continue;
        }
        lineOf.set(field.name, field.loc.line);
        fields.push(field);
      } else if (Node.isIndexSignatureDeclaration(member)) {
        if (this.commentsOf(member).markers.length > 0) {
          this.error(
            member,
            'markers on an index signature have no effect: put them on the field whose type this is, or on a named type of the values',
          );
        }
        const keyType = member.getKeyTypeNode();
        if (keyType.getKind() !== this.morph.SyntaxKind.StringKeyword) {
          this.error(
            member,
            `index signature key "${keyType.getText()}" is not supported: JSON object keys are strings, use [key: string]: T`,
          );
        } else if (index) {
          this.error(member, 'a type may have only one index signature: remove this one');
        } else index = this.typeExpr(member.getReturnTypeNodeOrThrow());
      } else {
        this.error(
          member,
          `unsupported member "${member.getText()}": API types may only declare properties (name: Type) and one index signature ([key: string]: T)`,
        );
      }
    }
    return { fields, index };
  }

  private field(member: PropertySignature): FieldDecl | undefined {
    const { Node, SyntaxKind } = this.morph;
    const { doc, markers } = this.commentsOf(member);
    const nameNode = member.getNameNode();
    let name: string;
    if (Node.isIdentifier(nameNode)) name = nameNode.getText();
    else if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode))
      name = nameNode.getLiteralValue();
    else if (Node.isNumericLiteral(nameNode)) name = String(nameNode.getLiteralValue());
    else {
      const what = Node.isComputedPropertyName(nameNode) ? 'computed property name' : 'property name';
      this.error(
        member,
        `${what} ${nameNode.getText()} is not supported in an API type: write the JSON field name itself (quoted if needed: 'my-field': string)`,
      );
      return undefined;
    }
    for (const modifier of member.getModifiers()) {
      if (modifier.getKind() === SyntaxKind.ReadonlyKeyword) continue;
      this.error(modifier, `"${modifier.getText()}" is not allowed on the type member "${name}": remove it`);
    }
    const initializer = member.getInitializer();
    if (initializer) {
      const value = Node.isStringLiteral(initializer)
        ? JSON.stringify(initializer.getLiteralValue())
        : initializer.getText();
      this.error(
        initializer,
        `"${name}" has an initializer (= ${initializer.getText()}), which a type member cannot have: remove it; for a default value write // +kubebuilder:default=${value} above the field`,
      );
    }
    const typeNode = member.getTypeNode();
    const type: TypeExpr = typeNode
      ? this.typeExpr(typeNode)
      : { kind: 'unsupported', text: `${name} (no type annotation)`, loc: this.loc(member) };
    return { name, optional: member.hasQuestionToken(), type, doc, markers, loc: this.loc(member) };
  }

  typeExpr(node: TypeNode | MorphNode): TypeExpr {
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
    if (Node.isTupleTypeNode(node)) return this.tuple(node.getElements(), node, loc);
    if (Node.isTypeOperatorTypeNode(node) && node.getOperator() === SyntaxKind.ReadonlyKeyword)
      return this.typeExpr(node.getTypeNode());
    if (Node.isUnionTypeNode(node))
      return { kind: 'union', members: node.getTypeNodes().map((t) => this.typeExpr(t)), loc };
    if (Node.isIntersectionTypeNode(node))
      return { kind: 'intersection', members: node.getTypeNodes().map((t) => this.typeExpr(t)), loc };
    if (Node.isTypeLiteral(node)) return { kind: 'object', ...this.members(node.getMembers()), loc };
    if (Node.isTypeReference(node) || Node.isExpressionWithTypeArguments(node)) {
      const nameNode = Node.isTypeReference(node) ? node.getTypeName() : node.getExpression();
      return { kind: 'ref', name: nameNode.getText(), args: node.getTypeArguments().map((t) => this.typeExpr(t)), loc };
    }
    return { kind: 'unsupported', text: node.getText(), loc };
  }

  /**
   * `[int32, int32, int32]` (or `[x: int32, y: int32, z: int32]`): an array of exactly that many
   * elements of one type. Mixed, optional and rest elements have no CRD schema (a Go array has one
   * element type too).
   */
  private tuple(elements: TypeNode[], node: MorphNode, loc: SourceLocation): TypeExpr {
    const { Node } = this.morph;
    const types = elements.map((element) => (Node.isNamedTupleMember(element) ? element.getTypeNode() : element));
    const texts = new Set(types.map((type) => type.getText()));
    const plain = types.every((type) => !Node.isOptionalTypeNode(type) && !Node.isRestTypeNode(type));
    if (types.length === 0 || texts.size !== 1 || !plain) {
      this.error(
        node,
        `tuple ${node.getText()} is not supported: a CRD array has one element type, so write [T, T, T] (exactly that many T) or T[]`,
      );
      // Reported (and nothing is written): read on as an array, so the field is not reported again.
      return {
        kind: 'array',
        element: types[0] ? this.typeExpr(types[0]) : { kind: 'keyword', name: 'string', loc },
        loc,
      };
    }
    return { kind: 'array', element: this.typeExpr(types[0]), length: types.length, loc };
  }
}
