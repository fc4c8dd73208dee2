/**
 * Reads the type nodes of one API file into the plain model: type expressions, the members of
 * interfaces and type literals with their docs and markers. What TypeScript would reject in a type
 * member, or what the model cannot hold (initializers, modifiers, computed or private names,
 * methods, a member declared twice, a second or non-string index signature), is a file:line
 * error, never skipped.
 */
import type { ts } from 'ts-morph';
import type { Diagnostics, SourceLocation } from '../diagnostics.js';
import { parseMarker, type Marker } from '../markers/index.js';
import { readComments } from './comments.js';
import type { FieldDecl, TypeExpr } from './model.js';

type TypeScript = typeof ts;

export interface Members {
  fields: FieldDecl[];
  index?: TypeExpr;
}

export class TypeReader {
  /** Lines of marker comments attached to a declaration (the rest are package markers or errors). */
  readonly consumedLines = new Set<number>();
  readonly packageMarkers: Marker[] = [];

  constructor(
    private readonly ts: TypeScript,
    private readonly source: ts.SourceFile,
    private readonly path: string,
    private readonly diagnostics: Diagnostics,
  ) {}

  loc(node: ts.Node): SourceLocation {
    return { file: this.path, line: this.source.getLineAndCharacterOfPosition(node.getStart(this.source)).line + 1 };
  }

  /** A node's source text, as written. */
  text(node: ts.Node): string {
    return node.getText(this.source);
  }

  error(node: ts.Node, message: string): void {
    this.diagnostics.error(this.loc(node), message);
  }

  commentsOf(node: ts.Node): { doc: string; markers: Marker[] } {
    const comments = readComments(this.source.text, node.pos, node.getStart(this.source), this.source);
    const markers: Marker[] = [];
    const isMember = this.ts.isPropertySignature(node) || this.ts.isIndexSignatureDeclaration(node);
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
  members(members: readonly ts.TypeElement[]): Members {
    const { ts } = this;
    const fields: FieldDecl[] = [];
    let index: TypeExpr | undefined;
    const lineOf = new Map<string, number>();
    for (const member of members) {
      if (ts.isPropertySignature(member)) {
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
      } else if (ts.isIndexSignatureDeclaration(member)) {
        if (this.commentsOf(member).markers.length > 0) {
          this.error(
            member,
            'markers on an index signature have no effect: put them on the field whose type this is, or on a named type of the values',
          );
        }
        const keyType = member.parameters[0]?.type;
        if (keyType?.kind !== ts.SyntaxKind.StringKeyword) {
          this.error(
            member,
            `index signature key "${keyType ? this.text(keyType) : this.text(member)}" is not supported: JSON object keys are strings, use [key: string]: T`,
          );
        } else if (index) {
          this.error(member, 'a type may have only one index signature: remove this one');
        } else
          index = member.type
            ? this.typeExpr(member.type)
            : { kind: 'unsupported', text: `${this.text(member)} (no type annotation)`, loc: this.loc(member) };
      } else {
        this.error(
          member,
          `unsupported member "${this.text(member)}": API types may only declare properties (name: Type) and one index signature ([key: string]: T)`,
        );
      }
    }
    return { fields, index };
  }

  private field(member: ts.PropertySignature): FieldDecl | undefined {
    const { ts } = this;
    const { doc, markers } = this.commentsOf(member);
    const nameNode = member.name;
    let name: string;
    if (ts.isIdentifier(nameNode)) name = this.text(nameNode);
    else if (ts.isStringLiteral(nameNode) || ts.isNoSubstitutionTemplateLiteral(nameNode)) name = nameNode.text;
    else if (ts.isNumericLiteral(nameNode)) name = String(numericValue(nameNode));
    else {
      const what = ts.isComputedPropertyName(nameNode) ? 'computed property name' : 'property name';
      this.error(
        member,
        `${what} ${this.text(nameNode)} is not supported in an API type: write the JSON field name itself (quoted if needed: 'my-field': string)`,
      );
      return undefined;
    }
    for (const modifier of member.modifiers ?? []) {
      if (modifier.kind === ts.SyntaxKind.ReadonlyKeyword) continue;
      this.error(modifier, `"${this.text(modifier)}" is not allowed on the type member "${name}": remove it`);
    }
    // The parser keeps an initializer on a property signature, for the error it deserves.
    const { initializer } = member as { initializer?: ts.Expression };
    if (initializer) {
      const value = ts.isStringLiteral(initializer) ? JSON.stringify(initializer.text) : this.text(initializer);
      this.error(
        initializer,
        `"${name}" has an initializer (= ${this.text(initializer)}), which a type member cannot have: remove it; for a default value write // +kubebuilder:default=${value} above the field`,
      );
    }
    const type: TypeExpr = member.type
      ? this.typeExpr(member.type)
      : { kind: 'unsupported', text: `${name} (no type annotation)`, loc: this.loc(member) };
    return { name, optional: member.questionToken !== undefined, type, doc, markers, loc: this.loc(member) };
  }

  typeExpr(node: ts.Node): TypeExpr {
    const { ts } = this;
    const { SyntaxKind } = ts;
    const loc = this.loc(node);
    switch (node.kind) {
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
    if (ts.isLiteralTypeNode(node)) {
      const { literal } = node;
      if (literal.kind === SyntaxKind.NullKeyword) return { kind: 'keyword', name: 'null', loc };
      if (ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal))
        return { kind: 'literal', value: literal.text, loc };
      if (ts.isNumericLiteral(literal)) return { kind: 'literal', value: numericValue(literal), loc };
      if (literal.kind === SyntaxKind.TrueKeyword || literal.kind === SyntaxKind.FalseKeyword)
        return { kind: 'literal', value: literal.kind === SyntaxKind.TrueKeyword, loc };
      if (ts.isPrefixUnaryExpression(literal)) return { kind: 'literal', value: Number(this.text(literal)), loc };
    }
    if (ts.isParenthesizedTypeNode(node)) return this.typeExpr(node.type);
    if (ts.isArrayTypeNode(node)) return { kind: 'array', element: this.typeExpr(node.elementType), loc };
    if (ts.isTupleTypeNode(node)) return this.tuple(node.elements, node, loc);
    if (ts.isTypeOperatorNode(node) && node.operator === SyntaxKind.ReadonlyKeyword) return this.typeExpr(node.type);
    if (ts.isUnionTypeNode(node)) return { kind: 'union', members: node.types.map((t) => this.typeExpr(t)), loc };
    if (ts.isIntersectionTypeNode(node))
      return { kind: 'intersection', members: node.types.map((t) => this.typeExpr(t)), loc };
    if (ts.isTypeLiteralNode(node)) return { kind: 'object', ...this.members(node.members), loc };
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const nameNode = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      const args = (node.typeArguments ?? []).map((t) => this.typeExpr(t));
      return { kind: 'ref', name: this.text(nameNode), args, loc };
    }
    return { kind: 'unsupported', text: this.text(node), loc };
  }

  /**
   * `[int32, int32, int32]` (or `[x: int32, y: int32, z: int32]`): an array of exactly that many
   * elements of one type. Mixed, optional and rest elements have no CRD schema (a Go array has one
   * element type too).
   */
  private tuple(elements: readonly ts.TypeNode[], node: ts.Node, loc: SourceLocation): TypeExpr {
    const { ts } = this;
    const types = elements.map((element) => (ts.isNamedTupleMember(element) ? element.type : element));
    const texts = new Set(types.map((type) => this.text(type)));
    const plain = types.every((type) => !ts.isOptionalTypeNode(type) && !ts.isRestTypeNode(type));
    if (types.length === 0 || texts.size !== 1 || !plain) {
      this.error(
        node,
        `tuple ${this.text(node)} is not supported: a CRD array has one element type, so write [T, T, T] (exactly that many T) or T[]`,
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

/** A numeric literal's value as ts-morph's `getLiteralValue` reads it (the text the scanner normalised). */
function numericValue(literal: ts.NumericLiteral): number {
  return literal.text.includes('.') ? parseFloat(literal.text) : parseInt(literal.text, 10);
}
