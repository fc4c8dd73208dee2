/**
 * `anyOf` / `oneOf` / `allOf` / `patternProperties` → what TypeScript and `kubeforge manifests`
 * can both say. A union of one-value enums is an enum, `X | null` is nullable `X`,
 * `integer | string` is int-or-string, a union of object types stays a union (discriminated ones
 * are CRD schemas with CEL rules); `allOf` of object types is an intersection, of validations one
 * merged schema; `patternProperties` are an index signature (its keys checked by a CEL rule when
 * no other key is allowed). Validation-only `oneOf`/`anyOf` of single `required` fields
 * (`[{required: [a]}, {required: [b]}]`) are controller-gen's ExactlyOneOf / AtLeastOneOf. What a
 * CRD schema cannot say (unions of different types, undiscriminated object unions, properties next
 * to patternProperties) is marked `unexpressible`, and `mark-schemaless.ts` takes it from there.
 */
import { UserError } from '../../errors.js';
import { celString, type ValidationRule } from '../json-schema.js';
import { childrenOf, isValidationOnly, type SchemaNode } from './schema-node.js';

export type Declarations = Map<string, SchemaNode>;

/** Extra facts the combinators leave on a node. */
export interface Combined {
  /** Why the node has no CRD schema (a union of a string and an object, …). */
  unexpressible?: string;
  /** The CEL rule for the keys of a map from patternProperties (placed by key-rules.ts). */
  keyRule?: ValidationRule;
  /** `oneOf`/`anyOf` of single required fields: ExactlyOneOf / AtLeastOneOf of these fields. */
  oneOfRequired?: { exactly: boolean; fields: string[] }[];
}

export type CombinedNode = SchemaNode & Combined;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class Combinators {
  /**
   * `structural`: the schema is a CRD's, where (by the apiserver's structural-schema rules) the
   * members of anyOf/oneOf/allOf only validate the value their node's type already describes.
   */
  constructor(
    private readonly file: string,
    private readonly declarations: Declarations,
    private readonly structural: boolean,
  ) {}

  /** The node a chain of references ends at. */
  resolve(node: SchemaNode): SchemaNode {
    const seen: string[] = [];
    let current = node;
    while (current.ref) {
      if (seen.includes(current.ref))
        throw new UserError(
          `kubeforge import: ${this.file}: $ref cycle ${[...seen, current.ref].join(' → ')} has no property in between, so no value has that type`,
        );
      seen.push(current.ref);
      current = this.declarations.get(current.ref)!;
    }
    return current;
  }

  /**
   * Refuses declarations that are themselves through references, unions and intersections alone
   * (`A = B`, `B = A & {…}`): no property, item or map value in between, so no value has the type
   * (TypeScript: "circularly references itself").
   */
  refuseBareCycles(): void {
    const bare = (top: SchemaNode): string[] => {
      const refs: string[] = [];
      const stack = [top];
      for (let node = stack.pop(); node; node = stack.pop()) {
        if (node.ref) refs.push(node.ref);
        stack.push(...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? []));
      }
      return refs;
    };
    const done = new Set<string>();
    const visit = (name: string, path: string[]): void => {
      if (done.has(name)) return;
      if (path.includes(name)) {
        const cycle = [...path.slice(path.indexOf(name)), name].join(' → ');
        throw new UserError(
          `kubeforge import: ${this.file}: $ref cycle ${cycle} has no property in between, so no value has that type`,
        );
      }
      for (const next of bare(this.declarations.get(name)!)) visit(next, [...path, name]);
      done.add(name);
    };
    for (const name of this.declarations.keys()) visit(name, []);
  }

  private objectLike(node: SchemaNode): boolean {
    const target = this.resolve(node);
    return target.type === 'object' || (!target.type && target.properties !== undefined);
  }

  /** Simplifies every node of `top` (not following references), in place. */
  simplifyTree(top: SchemaNode): void {
    const stack = [top];
    for (let node = stack.pop(); node; node = stack.pop()) {
      this.simplify(node as CombinedNode);
      for (const [, child] of childrenOf(node)) stack.push(child);
    }
  }

  private simplify(node: CombinedNode): void {
    if (this.structural) return this.validations(node);
    if (node.allOf) this.intersection(node);
    const key = node.oneOf ? 'oneOf' : node.anyOf ? 'anyOf' : undefined;
    if (key && !node['x-kubernetes-int-or-string']) this.union(node, key);
    if (node.patternProperties) this.patterns(node);
  }

  /**
   * A CRD's combinators: allOf merged into the node, one-of-required unions as markers. Other
   * anyOf/oneOf validations have no TypeScript type nor marker and are left out (docs/manifests.md).
   */
  private validations(node: CombinedNode): void {
    if (node['x-kubernetes-int-or-string']) return;
    const members = node.allOf ?? [];
    delete node.allOf;
    let merged: SchemaNode | undefined = { ...node };
    for (const member of members) merged = merged && merge(merged, member);
    if (merged) Object.assign(node, merged);
    for (const key of ['oneOf', 'anyOf'] as const) {
      if (!node[key]) continue;
      // Old (v1beta1) CRDs type some nodes by their union alone: `anyOf: [{type: string}, {type: integer}]`.
      if (!node.type && node[key].some((m) => m.type)) this.union(node, key);
      else {
        this.requiredUnion(node, key);
        delete node[key];
      }
    }
  }

  /** `[{required: [a]}, {required: [b]}]`: ExactlyOneOf (oneOf) / AtLeastOneOf (anyOf) of a, b. */
  private requiredUnion(node: CombinedNode, key: 'oneOf' | 'anyOf'): boolean {
    const fields = node[key]!.map((m) =>
      Object.keys(m).length === 1 && m.required?.length === 1 ? m.required[0] : '',
    );
    if (!fields.every(Boolean)) return false;
    node.oneOfRequired = [...(node.oneOfRequired ?? []), { exactly: key === 'oneOf', fields }];
    delete node[key];
    return true;
  }

  private union(node: CombinedNode, key: 'oneOf' | 'anyOf'): void {
    const members = node[key]!;
    if (members.every(isValidationOnly)) {
      this.requiredUnion(node, key);
      return;
    }
    const rest = members.filter((m) => !(m.type === 'null' || (m.enum?.length === 1 && m.enum[0] === null)));
    if (rest.length < members.length) node.nullable = true;
    delete node[key];
    if (rest.length === 1) {
      Object.assign(node, rest[0].ref ? { ref: rest[0].ref } : rest[0]);
      if (!rest[0].ref) this.simplify(node);
      return;
    }
    if (rest.every((m) => m.enum && !m.type && Object.keys(m).length === 1) || this.sameTypeEnums(rest)) {
      const values = rest.flatMap((m) => m.enum!);
      const types = new Set(values.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? 'number' : typeof v)));
      if (types.size === 1 && ['string', 'number', 'boolean'].includes([...types][0])) {
        node.enum = [...new Set(values)];
        node.type = rest.every((m) => m.type === 'integer') ? 'integer' : [...types][0];
        return;
      }
    }
    const plainTypes = rest.map((m) => (Object.keys(m).length === 1 ? m.type : undefined)).sort();
    if (same(plainTypes, ['integer', 'string'])) {
      node['x-kubernetes-int-or-string'] = true;
      return;
    }
    node.anyOf = rest;
    if (node.properties || node.type === 'object') node.anyOf = rest.map((m) => this.withShape(node, m));
    if (!node.anyOf.every((m) => this.objectLike(m)))
      node.unexpressible = `it is one of ${rest.length} schemas of different types, which a CRD schema cannot be`;
    else if (!this.discriminated(node.anyOf))
      node.unexpressible = `it is one of ${rest.length} object schemas with no discriminator (a required property with a different string value in each), which a CRD schema cannot tell apart`;
    delete node.properties;
    delete node.required;
    delete node.type;
  }

  private sameTypeEnums(members: SchemaNode[]): boolean {
    return members.every((m) => m.enum && m.type && Object.keys(m).length === 2 && m.type === members[0].type);
  }

  /** A member of a union on a node with its own properties: both apply, so the member gets them. */
  private withShape(node: SchemaNode, member: SchemaNode): SchemaNode {
    const own: SchemaNode = { type: 'object', properties: node.properties, required: node.required };
    return { allOf: [own, member] };
  }

  private discriminated(members: SchemaNode[]): boolean {
    const resolved = members.map((m) => this.resolve(m));
    const flat = resolved.map((m) => (m.allOf ? this.mergedObject(m.allOf) : m));
    if (flat.some((m) => m === undefined)) return false;
    const objects = flat as SchemaNode[];
    // The members become one object schema: a field they share must be the same in each.
    const seen = new Map<string, SchemaNode>();
    for (const [name, property] of objects.flatMap((m) => Object.entries(m.properties ?? {}))) {
      const first = seen.get(name);
      if (
        first &&
        !same(first, property) &&
        !objects.every((m) => m.required?.includes(name) && m.properties?.[name]?.enum)
      )
        return false;
      seen.set(name, property);
    }
    const candidates = Object.keys(objects[0].properties ?? {});
    return candidates.some((name) => {
      const values = objects.map((m) => {
        const property = m.properties?.[name];
        const enumeration = property && this.resolve(property).enum;
        return m.required?.includes(name) && enumeration?.length === 1 ? enumeration[0] : undefined;
      });
      return values.every((v) => typeof v === 'string') && new Set(values).size === values.length;
    });
  }

  /** `allOf` of object schemas as one object (for the discriminator check), or undefined. */
  private mergedObject(members: SchemaNode[]): SchemaNode | undefined {
    let merged: SchemaNode | undefined = { type: 'object' };
    for (const member of members) merged = merged && merge(merged, this.resolve(member));
    return merged;
  }

  private intersection(node: CombinedNode): void {
    const members = node.allOf!;
    const fragments = members.filter(isValidationOnly);
    const shaped = members.filter((m) => !isValidationOnly(m));
    const { allOf: _members, ...own } = node;
    let merged: SchemaNode | undefined = own;
    for (const fragment of fragments) merged = merged && merge(merged, fragment);
    if (!merged) {
      node.unexpressible = 'its allOf members contradict each other';
      return;
    }
    if (shaped.length > 0 && shaped.every((m) => this.objectLike(m)) && (merged.type ?? 'object') === 'object') {
      Object.assign(node, merged);
      const own = node.properties ? [{ type: 'object', properties: node.properties, required: node.required }] : [];
      node.allOf = [...shaped, ...own];
      delete node.properties;
      delete node.required;
      const members = node.allOf.map((m) => this.resolve(m));
      const map = members.some((m) => typeof m.additionalProperties === 'object' || m.patternProperties);
      if (map && members.some((m) => m.properties))
        node.unexpressible = 'its allOf combines a map with properties, which a CRD schema cannot have both of';
      else if (!this.mergedObject(node.allOf))
        node.unexpressible = 'its allOf members declare one property with different schemas';
      return;
    }
    const refs = shaped.filter((m) => m.ref);
    // A reference stays a reference (inlining it could nest a recursive type into itself): one
    // is the field's type with the other validations on the field, several are an intersection.
    if (refs.length > 1 || (refs.length === 1 && shaped.length > 1)) {
      node.unexpressible = 'its allOf combines a reference with other schemas that are not all objects';
      return;
    }
    for (const member of shaped) merged = merged && merge(merged, member);
    if (!merged) {
      node.unexpressible = 'its allOf members contradict each other';
      return;
    }
    for (const key of Object.keys(node)) delete (node as Record<string, unknown>)[key];
    Object.assign(node, merged);
  }

  private patterns(node: CombinedNode): void {
    if (node.properties) {
      node.unexpressible = 'it has both properties and patternProperties, which a CRD schema cannot have';
      return;
    }
    const patterns = Object.keys(node.patternProperties!);
    const values = Object.values(node.patternProperties!);
    if (typeof node.additionalProperties === 'object') values.push(node.additionalProperties);
    const distinct = values.filter((v, i) => values.findIndex((w) => same(v, w)) === i);
    if (node.additionalProperties === false) {
      const matches = patterns.map((p) => `k.matches(${celString(p)})`).join(' || ');
      node.keyRule = { rule: `self.all(k, ${matches})`, message: `every key must match ${patterns.join(' or ')}` };
    }
    node.type ??= 'object';
    node.additionalProperties = distinct.length === 1 ? distinct[0] : { anyOf: distinct };
    delete node.patternProperties;
    if (distinct.length > 1) this.simplify(node.additionalProperties as CombinedNode);
  }
}

const STRICTER: Partial<Record<keyof SchemaNode, (a: number, b: number) => number>> = {
  minimum: Math.max,
  maximum: Math.min,
  minLength: Math.max,
  maxLength: Math.min,
  minItems: Math.max,
  maxItems: Math.min,
  minProperties: Math.max,
  maxProperties: Math.min,
};

/** Both schemas at once, or undefined when they contradict (two types, two patterns, …). */
export function merge(a: SchemaNode, b: SchemaNode): SchemaNode | undefined {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b) as [keyof SchemaNode, unknown][]) {
    const current = out[key];
    if (value === undefined || current === undefined) out[key] = current ?? value;
    else if (STRICTER[key]) out[key] = STRICTER[key](current as number, value as number);
    else if (key === 'required') out.required = [...new Set([...(current as string[]), ...(value as string[])])];
    else if (key === 'description') continue;
    else if (key === 'x-kubernetes-validations') out[key] = [...(current as unknown[]), ...(value as unknown[])];
    else if (key === 'properties') {
      const properties: Record<string, SchemaNode> = { ...(current as Record<string, SchemaNode>) };
      for (const [name, schema] of Object.entries(value as Record<string, SchemaNode>)) {
        const both = properties[name] ? merge(properties[name], schema) : schema;
        if (!both) return undefined;
        properties[name] = both;
      }
      out.properties = properties;
    } else if (!same(current, value)) return undefined;
  }
  return out as SchemaNode;
}
