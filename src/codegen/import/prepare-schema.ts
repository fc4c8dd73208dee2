/**
 * Schema → the dialect json-schema-to-typescript understands, keeping what Kubernetes means:
 * int-or-string, quantities, int32/int64 and date-times become `kubeforge/api` scalars;
 * preserve-unknown-fields objects (embedded resources too) get an `unknown` index signature and
 * untyped ones are `unknown`; root metadata is `V1ObjectMeta`; everything else is closed
 * (`additionalProperties: false`). Validation keywords are written back as kubebuilder markers in
 * the JSDoc, so `kubeforge manifests` on imported types reproduces the schema.
 */
import { QUANTITY_PATTERN } from '../json-schema.js';
import type { CombinedNode } from './combinators.js';
import { descriptionOf, SCALAR_FORMATS, type MarkerPart } from './marker-lines.js';
import { typeName } from './normalize.js';
import { isValidationOnly, type SchemaNode } from './schema-node.js';

export type Prepared = Record<string, unknown>;

export interface PrepareContext {
  /** `kubeforge/api` scalar names used (for the import line). */
  scalars: Set<string>;
  usesObjectMeta: boolean;
  /** Interface names given out so far (titles must be unique in a module). */
  names: Set<string>;
  /** Types nested too deeply to stay inline, each to be declared on its own (`prepareDeclaration`). */
  hoisted: Hoisted[];
  /** Property names json-schema-to-typescript cannot take as keys → their stand-ins. */
  standIns: Map<string, string>;
}

interface Hoisted {
  name: string;
  schema: SchemaNode;
  fieldName: string;
  /** The declaration keeps the type-level markers (the field only its field-level ones), else only the shape. */
  split?: boolean;
}

export function newContext(): PrepareContext {
  // The names a module imports or declares besides its types.
  const names = new Set(['V1ObjectMeta', 'apiVersion', ...Object.values(SCALAR_FORMATS), 'IntOrString', 'Quantity']);
  return { scalars: new Set(), usesObjectMeta: false, names, hoisted: [], standIns: new Map() };
}

/**
 * How deep object types nest inline before the next level becomes its own interface: the output
 * is formatted by prettier, which recurses per level (and fails near 200).
 */
const INLINE_DEPTH = 32;

const STAND_IN = /\bkubeforge_property_\d+\b/g;

/**
 * A property name as a key for json-schema-to-typescript, which walks schemas as plain objects:
 * a name of Object.prototype's (`constructor`, `hasOwnProperty`, `__proto__`) would replace its
 * methods, and a `$` name (`$ref`) would be read as a keyword. Those get a stand-in identifier,
 * which `restorePropertyNames` turns back into the name in the generated code.
 */
function propertyKey(name: string, context: PrepareContext): string {
  if (!Object.hasOwn(Object.prototype, name) && !name.startsWith('$')) return name;
  const standIn = context.standIns.get(name) ?? `kubeforge_property_${context.standIns.size}`;
  context.standIns.set(name, standIn);
  return standIn;
}

/** Puts the property names behind their stand-ins back into generated code. */
export function restorePropertyNames(code: string, context: PrepareContext): string {
  const names = new Map([...context.standIns].map(([name, standIn]) => [standIn, name]));
  return code.replace(STAND_IN, (standIn) => {
    const name = names.get(standIn)!;
    return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`;
  });
}

export function uniqueName(context: PrepareContext, base: string): string {
  let name = base;
  for (let i = 2; context.names.has(name); i++) name = `${base}${i}`;
  context.names.add(name);
  return name;
}

function scalarType(schema: SchemaNode, context: PrepareContext): string | undefined {
  let name: string | undefined;
  if (schema['x-kubernetes-int-or-string']) name = schema.pattern === QUANTITY_PATTERN ? 'Quantity' : 'IntOrString';
  else if ((schema.type === 'integer' || schema.type === 'string') && schema.format)
    name = SCALAR_FORMATS[schema.format];
  if (name) context.scalars.add(name);
  return name;
}

/**
 * Prepares one node; `title` names it as its own interface. Object items of arrays become named
 * interfaces (`<Field>Item`) so their descriptions and type-level markers have a place; scalar
 * items carry their markers on the array as `items:` markers. A `$ref` is its declaration's name,
 * a union (`anyOf` left by the combinators) a TypeScript union, an `allOf` an intersection.
 */
export function prepareSchema(
  schema: SchemaNode,
  context: PrepareContext,
  title?: string,
  fieldName = 'Value',
  depth = 0,
  part: MarkerPart = 'all',
): Prepared {
  const out: Prepared = {};
  const description = descriptionOf(schema, part);
  if (description) out.description = description;
  if (title) out.title = title;
  return { ...out, ...prepareShape(schema, context, fieldName, depth) };
}

/** The JSON type of a node, also where it is implied (`items` → array, `properties` → object). */
function typeOf(schema: SchemaNode): string | undefined {
  if (schema.type) return schema.type;
  if (schema.items) return 'array';
  if (schema.properties || schema.patternProperties || typeof schema.additionalProperties === 'object') return 'object';
  return undefined;
}

function prepareShape(schema: SchemaNode, context: PrepareContext, fieldName: string, depth: number): Prepared {
  const nullable = schema.nullable === true;
  const orNull = (name: string) => (nullable ? `${name} | null` : name);
  const scalar = scalarType(schema, context);
  if (scalar) return { tsType: orNull(scalar) };
  if (schema.ref) return { tsType: orNull(schema.ref) };
  if (schema.enum) return { enum: nullable ? [...schema.enum, null] : schema.enum };
  const nested = (member: SchemaNode) => prepareNested(member, context, fieldName, depth + 1);
  if (schema.anyOf && !schema.anyOf.every(isValidationOnly))
    return { anyOf: [...schema.anyOf.map(nested), ...(nullable ? [{ type: 'null' }] : [])] };
  if (schema.allOf) return { allOf: schema.allOf.map(nested) };
  const type = typeOf(schema);
  if (type === 'array')
    return { type: 'array', items: schema.items ? prepareItems(schema.items, context, fieldName, depth) : {} };
  if (type === 'object') return prepareObject(schema, context, fieldName, depth);
  if (type) return { type: nullable ? [type, 'null'] : type };
  return { tsType: 'unknown' };
}

function prepareObject(schema: SchemaNode, context: PrepareContext, fieldName: string, depth: number): Prepared {
  const out: Prepared = { type: schema.nullable ? ['object', 'null'] : 'object' };
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [
        propertyKey(key, context),
        prepareNested(value, context, key, depth + 1),
      ]),
    );
  }
  if (schema.required) out.required = schema.required.map((key) => propertyKey(key, context));
  if (schema.patternProperties) {
    // Left only next to properties (see combinators.ts): the field is Schemaless, the type exact.
    const values = Object.values(schema.patternProperties).map((value) =>
      prepareNested(value, context, `${fieldName}Value`, depth + 1),
    );
    const members = [...values, ...Object.values((out.properties ?? {}) as Record<string, Prepared>)];
    out.additionalProperties = { anyOf: [...members, { type: 'null' }] };
  } else if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = prepareMapValue(schema.additionalProperties, context, fieldName, depth);
  } else {
    out.additionalProperties =
      schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  }
  return out;
}

/** A nested node: inline, or, INLINE_DEPTH levels below the last declaration, a declaration of its own. */
function prepareNested(schema: SchemaNode, context: PrepareContext, fieldName: string, depth: number): Prepared {
  // ExactlyOneOf / AtLeastOneOf are type-level markers: the object becomes a declaration.
  if ((schema as CombinedNode).oneOfRequired && !schema.schemaless)
    return hoist(schema, context, uniqueName(context, typeName(fieldName)), fieldName, true);
  const nests = schema.properties !== undefined || schema.type === 'array';
  if (depth < INLINE_DEPTH || !nests) return prepareSchema(schema, context, undefined, fieldName, depth);
  return hoist(schema, context, uniqueName(context, typeName(fieldName)), fieldName, false);
}

/** A field whose type is declared on its own, as `name`. */
function hoist(schema: SchemaNode, context: PrepareContext, name: string, fieldName: string, split: boolean): Prepared {
  context.hoisted.push({ name, schema, fieldName, split });
  // Without `split`, the description and markers stay with the field; the declaration is only the shape.
  const description = descriptionOf(schema, split ? 'field' : 'all');
  return { ...(description ? { description } : {}), tsType: schema.nullable ? `${name} | null` : name };
}

/** The declaration of a hoisted type (which may hoist further ones). */
export function prepareDeclaration({ name, schema, fieldName, split }: Hoisted, context: PrepareContext): Prepared {
  const { description, type: _type, ...shape } = prepareSchema(schema, context, name, fieldName, 0, 'type');
  return {
    ...shape,
    ...(split && description ? { description } : {}),
    type: schema.type === 'array' ? 'array' : 'object',
  };
}

/**
 * A map's values: an index signature cannot carry a description or markers, so values that have
 * them are a declaration of their own, `<Field>Value` (as a Go map of a validated type would be).
 */
function prepareMapValue(value: SchemaNode, context: PrepareContext, fieldName: string, depth: number): Prepared {
  if (!descriptionOf(value) || value.ref) return prepareNested(value, context, `${fieldName}Value`, depth + 1);
  return prepareSchema(value, context, uniqueName(context, `${typeName(fieldName)}Value`), `${fieldName}Value`);
}

function prepareItems(items: SchemaNode, context: PrepareContext, fieldName: string, depth: number): Prepared {
  const type = typeOf(items);
  if (type === 'object' && items.properties && !items.schemaless)
    return prepareSchema(items, context, uniqueName(context, `${typeName(fieldName)}Item`), fieldName);
  if (type === 'object' || type === 'array' || items.anyOf || items.allOf || items.ref)
    return prepareNested(items, context, fieldName, depth + 1);
  const { description: _description, ...scalar } = prepareSchema(
    { ...items, description: undefined },
    context,
    undefined,
    fieldName,
  );
  return scalar;
}

/**
 * The root of a kind: metadata is `V1ObjectMeta`, spec and status are declarations of their own,
 * `<Kind>Spec` / `<Kind>Status` (their field-level markers, such as a default, stay on the field).
 */
export function prepareRoot(schema: SchemaNode, kind: string, context: PrepareContext): Prepared {
  context.names.add(kind);
  const own = (part: string) => {
    const sub = schema.properties?.[part];
    return sub?.properties && (sub.type ?? 'object') === 'object' && !sub.schemaless ? sub : undefined;
  };
  const parts = ['spec', 'status'].filter(own);
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).filter(([key]) => !parts.includes(key)),
  );
  const root = prepareSchema({ ...schema, properties }, context, kind);
  const prepared = (root.properties ?? {}) as Record<string, Prepared>;
  const named = (part: string) =>
    hoist(own(part)!, context, uniqueName(context, `${kind}${part === 'spec' ? 'Spec' : 'Status'}`), part, true);
  // Every object of a kind has metadata, declared in its schema or not (old CRDs often leave it out).
  context.usesObjectMeta = true;
  root.properties = Object.fromEntries([
    ...Object.keys(schema.properties ?? {}).map((key) => {
      const stored = propertyKey(key, context);
      return [stored, parts.includes(key) ? named(key) : prepared[stored]];
    }),
    ['metadata', { tsType: 'V1ObjectMeta' }],
  ]);
  return root;
}
