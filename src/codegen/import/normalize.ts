/**
 * A JSON Schema document (or a CRD's openAPIV3Schema) → `SchemaNode`s. Local `$ref`s (`#`,
 * `#/definitions/…`, `#/$defs/…`, any JSON pointer into the document) become references to named
 * declarations, each declared once, cycles included; a remote or dangling `$ref` is a UserError
 * naming it, where it is and the file. JSON Schema's spellings are brought to the CRD's:
 * `const` → one-value `enum`, `type: [T, 'null']` → `nullable`, numeric `exclusiveMinimum` →
 * `minimum` + `exclusiveMinimum: true`, tuples (`items: [...]`, `prefixItems`) → arrays of a union.
 */
import { UserError } from '../../errors.js';
import type { SchemaNode } from './schema-node.js';

type Raw = Record<string, unknown>;

/** Keywords copied as they are (the rest are handled one by one below, or are annotations). */
const PLAIN = [
  'format',
  'title',
  'description',
  'required',
  'enum',
  'default',
  'example',
  'nullable',
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
] as const;

/** Names a declaration after the last segment of its pointer: `#/$defs/tree-node` → `TreeNode`. */
export function typeName(text: string): string {
  const name = text
    .replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
  return /^[A-Za-z]/.test(name) ? name : `T${name}`;
}

export interface NormalizedDocument {
  root: SchemaNode;
  /** The declarations `$ref`s point to, by name, in the order they were first referred to. */
  declarations: Map<string, SchemaNode>;
}

class Normalizer {
  readonly declarations = new Map<string, SchemaNode>();
  private readonly byPointer = new Map<string, string>();
  private readonly pending: [string, unknown, string][] = [];

  constructor(
    private readonly file: string,
    private readonly document: unknown,
    private readonly rootName: string,
    private readonly names: Set<string>,
  ) {}

  run(): SchemaNode {
    this.byPointer.set('', this.rootName);
    const root = this.node(this.document, '');
    for (let next = this.pending.shift(); next; next = this.pending.shift()) {
      const [name, raw, at] = next;
      this.declarations.set(name, this.node(raw, at));
    }
    return root;
  }

  private fail(message: string, at: string): never {
    throw new UserError(`kubeforge import: ${this.file}: ${message} (at ${at || 'the root'})`);
  }

  /** The declaration a `$ref` names, queued for declaration the first time. */
  private reference(ref: string, at: string): string {
    if (!ref.startsWith('#'))
      this.fail(
        `$ref "${ref}" is not local: import only resolves references inside the file (#/definitions/…, #/$defs/…); copy the referenced schema into its definitions`,
        at,
      );
    if (ref !== '#' && !ref.startsWith('#/'))
      this.fail(`$ref "${ref}" is an anchor: import resolves JSON pointers (#/definitions/…, #/$defs/…)`, at);
    const pointer = ref.slice(1);
    const known = this.byPointer.get(pointer);
    if (known !== undefined) return known;
    let target: unknown = this.document;
    const segments = pointer
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s).replaceAll('~1', '/').replaceAll('~0', '~'));
    for (const segment of segments) {
      target =
        target !== null && typeof target === 'object' && Object.hasOwn(target, segment)
          ? (target as Raw)[segment]
          : undefined;
    }
    if (target === undefined) this.fail(`$ref "${ref}" does not resolve: nothing in the file is at that path`, at);
    const base = typeName(segments.at(-1) ?? this.rootName);
    let name = base;
    for (let i = 2; this.names.has(name); i++) name = `${base}${i}`;
    this.names.add(name);
    this.byPointer.set(pointer, name);
    this.pending.push([name, target, `#${pointer}`]);
    return name;
  }

  node(raw: unknown, at: string): SchemaNode {
    if (raw === true || (raw !== null && typeof raw === 'object' && Object.keys(raw).length === 0)) return {};
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      this.fail(`a schema must be an object or true, not ${JSON.stringify(raw)}`, at);
    const schema = raw as Raw;
    const node: SchemaNode = {};
    for (const key of PLAIN) if (schema[key] !== undefined) (node as Raw)[key] = schema[key];
    if (schema.const !== undefined) node.enum = [schema.const];
    this.type(schema, node, at);
    this.bounds(schema, node);
    this.children(schema, node, at);
    if (typeof schema.$ref === 'string') {
      const ref = this.reference(schema.$ref, `${at}.$ref`);
      const { description, default: fallback, title: _title, ...rest } = node;
      const annotations = {
        ...(description ? { description } : {}),
        ...(fallback === undefined ? {} : { default: fallback }),
      };
      // Draft 2019+ applies the keywords next to a $ref as well: the value must satisfy both.
      return Object.keys(rest).length === 0 ? { ...annotations, ref } : { ...annotations, allOf: [{ ref }, rest] };
    }
    return node;
  }

  private type(schema: Raw, node: SchemaNode, at: string): void {
    if (typeof schema.type === 'string') node.type = schema.type;
    else if (Array.isArray(schema.type)) {
      const types = (schema.type as unknown[]).filter((t): t is string => typeof t === 'string' && t !== 'null');
      if (types.length < schema.type.length) node.nullable = true;
      if (types.length === 1) node.type = types[0];
      else if (types.length > 1) node.anyOf = types.map((type) => ({ type }));
    } else if (schema.type !== undefined) this.fail(`"type" must be a string or a list of strings`, at);
  }

  /** Draft-06+ numeric exclusive bounds: the stricter of them and minimum/maximum wins. */
  private bounds(schema: Raw, node: SchemaNode): void {
    if (typeof schema.exclusiveMinimum === 'number') {
      if (node.minimum === undefined || schema.exclusiveMinimum >= node.minimum) {
        node.minimum = schema.exclusiveMinimum;
        node.exclusiveMinimum = true;
      }
    } else if (schema.exclusiveMinimum === true) node.exclusiveMinimum = true;
    if (typeof schema.exclusiveMaximum === 'number') {
      if (node.maximum === undefined || schema.exclusiveMaximum <= node.maximum) {
        node.maximum = schema.exclusiveMaximum;
        node.exclusiveMaximum = true;
      }
    } else if (schema.exclusiveMaximum === true) node.exclusiveMaximum = true;
  }

  private children(schema: Raw, node: SchemaNode, at: string): void {
    const map = (value: unknown, where: string) =>
      Object.fromEntries(
        Object.entries((value ?? {}) as Raw).map(([key, child]) => [
          key,
          this.node(child, `${at}${where}[${JSON.stringify(key)}]`),
        ]),
      );
    if (schema.properties !== undefined) node.properties = map(schema.properties, '.properties');
    if (schema.patternProperties !== undefined)
      node.patternProperties = map(schema.patternProperties, '.patternProperties');
    if (typeof schema.additionalProperties === 'boolean') node.additionalProperties = schema.additionalProperties;
    else if (schema.additionalProperties !== undefined)
      node.additionalProperties = this.node(schema.additionalProperties, `${at}.additionalProperties`);
    const tuple = Array.isArray(schema.items) ? schema.items : (schema.prefixItems as unknown[] | undefined);
    if (tuple) {
      const members = tuple.map((item, i) => this.node(item, `${at}.items[${i}]`));
      node.items = members.length === 1 ? members[0] : { anyOf: members };
      if (schema.additionalItems === false || schema.items === false) node.maxItems ??= members.length;
    } else if (schema.items !== undefined) node.items = this.node(schema.items, `${at}.items`);
    const typeUnion = node.anyOf;
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const members = schema[key];
      if (members === undefined) continue;
      if (!Array.isArray(members) || members.length === 0)
        this.fail(`"${key}" must be a non-empty list of schemas`, at);
      node[key] = members.map((member, i) => this.node(member, `${at}.${key}[${i}]`));
    }
    // `type: [A, B]` next to an anyOf: the value is one of the types and satisfies the anyOf.
    if (typeUnion && node.anyOf !== typeUnion) {
      node.allOf = [...(node.allOf ?? []), { anyOf: node.anyOf }];
      node.anyOf = typeUnion;
    }
  }
}

/**
 * Normalizes `document` (the root of `file`, declared as `rootName`); `names` holds the names
 * already taken in the module and receives the declarations' names.
 */
export function normalizeDocument(
  file: string,
  document: unknown,
  rootName: string,
  names: Set<string>,
): NormalizedDocument {
  const normalizer = new Normalizer(file, document, rootName, names);
  const root = normalizer.run();
  return { root, declarations: normalizer.declarations };
}
