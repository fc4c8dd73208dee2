/**
 * Schema → the dialect json-schema-to-typescript understands, keeping what Kubernetes means:
 * int-or-string, quantities, int32/int64 and date-times become `kubeforge/api` scalars;
 * preserve-unknown-fields objects (embedded resources too) get an `unknown` index signature and
 * untyped ones are `unknown`; root metadata is `V1ObjectMeta`; everything else is closed
 * (`additionalProperties: false`). Validation keywords are written back as kubebuilder markers in
 * the JSDoc, so `kubeforge manifests` on imported types reproduces the schema.
 */
import type { JSONSchemaProps } from '../schema/index.js';
import { QUANTITY_PATTERN } from '../schema/index.js';

type Prepared = Record<string, unknown>;

const MARKER_KEYWORDS: [keyof JSONSchemaProps, string][] = [
  ['minimum', 'Minimum'],
  ['maximum', 'Maximum'],
  ['exclusiveMinimum', 'ExclusiveMinimum'],
  ['exclusiveMaximum', 'ExclusiveMaximum'],
  ['multipleOf', 'MultipleOf'],
  ['minLength', 'MinLength'],
  ['maxLength', 'MaxLength'],
  ['minItems', 'MinItems'],
  ['maxItems', 'MaxItems'],
  ['minProperties', 'MinProperties'],
  ['maxProperties', 'MaxProperties'],
  ['uniqueItems', 'UniqueItems'],
];

const SCALAR_FORMATS: Record<string, string> = { int32: 'int32', int64: 'int64', 'date-time': 'Time' };

/**
 * A marker value as JSON, safe inside a JSDoc block: `*\/` would end the comment (and
 * json-schema-to-typescript would break it up), so it is written as `\u002a/`, which JSON reads back.
 */
function quoted(value: unknown): string {
  return JSON.stringify(value).replaceAll('*/', '\\u002a/');
}

/** Patterns read best raw (`` `…` ``), which works unless they hold a backtick or `*\/`. */
function rawOrQuoted(pattern: string): string {
  return pattern.includes('`') || pattern.includes('*/') ? quoted(pattern) : `\`${pattern}\``;
}

function markerLines(schema: JSONSchemaProps, prefix: string): string[] {
  const lines: string[] = [];
  for (const [keyword, marker] of MARKER_KEYWORDS) {
    if (schema[keyword] !== undefined)
      lines.push(`+kubebuilder:validation:${prefix}${marker}=${String(schema[keyword])}`);
  }
  if (schema.pattern !== undefined && schema.pattern !== QUANTITY_PATTERN)
    lines.push(`+kubebuilder:validation:${prefix}Pattern=${rawOrQuoted(schema.pattern)}`);
  if (schema.format && !SCALAR_FORMATS[schema.format] && schema.format !== 'int-or-string')
    lines.push(`+kubebuilder:validation:${prefix}Format=${schema.format}`);
  if (schema.type === 'integer' && !schema.format) lines.push(`+kubebuilder:validation:${prefix}Type=integer`);
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const args = Object.entries(rule).map(([k, v]) => `${k}=${typeof v === 'string' ? quoted(v) : String(v)}`);
    lines.push(`+kubebuilder:validation:${prefix}XValidation:${args.join(',')}`);
  }
  if (prefix) return lines;
  if (schema.default !== undefined) lines.push(`+kubebuilder:default=${quoted(schema.default)}`);
  if (schema.example !== undefined) lines.push(`+kubebuilder:example=${quoted(schema.example)}`);
  if (schema.title !== undefined) lines.push(`+kubebuilder:title=${quoted(schema.title)}`);
  if (schema['x-kubernetes-list-type']) lines.push(`+listType=${schema['x-kubernetes-list-type']}`);
  for (const key of schema['x-kubernetes-list-map-keys'] ?? []) lines.push(`+listMapKey=${key}`);
  if (schema['x-kubernetes-map-type']) lines.push(`+mapType=${schema['x-kubernetes-map-type']}`);
  if (schema['x-kubernetes-preserve-unknown-fields']) lines.push('+kubebuilder:pruning:PreserveUnknownFields');
  if (schema['x-kubernetes-embedded-resource']) lines.push('+kubebuilder:validation:EmbeddedResource');
  return lines;
}

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
  schema: JSONSchemaProps;
  fieldName: string;
}

export function newContext(): PrepareContext {
  return { scalars: new Set(), usesObjectMeta: false, names: new Set(), hoisted: [], standIns: new Map() };
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

function uniqueName(context: PrepareContext, base: string): string {
  let name = base;
  for (let i = 2; context.names.has(name); i++) name = `${base}${i}`;
  context.names.add(name);
  return name;
}

const pascal = (text: string) => text.charAt(0).toUpperCase() + text.slice(1).replace(/[^A-Za-z0-9]/g, '');

function scalarType(schema: JSONSchemaProps, context: PrepareContext): string | undefined {
  let name: string | undefined;
  if (schema['x-kubernetes-int-or-string']) name = schema.pattern === QUANTITY_PATTERN ? 'Quantity' : 'IntOrString';
  else if ((schema.type === 'integer' || schema.type === 'string') && schema.format)
    name = SCALAR_FORMATS[schema.format];
  if (name) context.scalars.add(name);
  return name;
}

/** The JSDoc of a node: its description, then its validations as markers. */
function descriptionOf(schema: JSONSchemaProps): string {
  const scalarItems = schema.items && schema.items.type !== 'object' && schema.items.type !== 'array';
  const lines = [
    schema.description ?? '',
    ...markerLines(schema, ''),
    ...(scalarItems ? markerLines(schema.items!, 'items:') : []),
  ];
  return lines.filter(Boolean).join('\n');
}

/**
 * Prepares one node; `title` names it as its own interface. Object items of arrays become named
 * interfaces (`<Field>Item`) so their descriptions and type-level markers have a place; scalar
 * items carry their markers on the array as `items:` markers.
 */
export function prepareSchema(
  schema: JSONSchemaProps,
  context: PrepareContext,
  title?: string,
  fieldName = 'Value',
  depth = 0,
): Prepared {
  const out: Prepared = {};
  const description = descriptionOf(schema);
  if (description) out.description = description;
  if (title) out.title = title;
  const nullable = schema.nullable === true;
  const scalar = scalarType(schema, context);
  if (scalar) out.tsType = nullable ? `${scalar} | null` : scalar;
  else if (schema.enum) out.enum = nullable ? [...schema.enum, null] : schema.enum;
  else if (schema.type === 'array') {
    out.type = 'array';
    out.items = schema.items ? prepareItems(schema.items, context, fieldName, depth) : {};
  } else if (!schema.type && schema['x-kubernetes-preserve-unknown-fields']) {
    out.tsType = 'unknown';
  } else if (schema.type === 'object' || schema.properties) {
    out.type = nullable ? ['object', 'null'] : 'object';
    if (schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [
          propertyKey(key, context),
          prepareNested(value, context, key, depth + 1),
        ]),
      );
    }
    if (schema.required) out.required = schema.required.map((key) => propertyKey(key, context));
    if (typeof schema.additionalProperties === 'object') {
      out.additionalProperties = prepareNested(schema.additionalProperties, context, `${fieldName}Value`, depth + 1);
    } else {
      out.additionalProperties =
        schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
    }
  } else if (schema.type) out.type = nullable ? [schema.type, 'null'] : schema.type;
  else out.tsType = 'unknown';
  return out;
}

/** A nested node: inline, or, INLINE_DEPTH levels below the last declaration, a declaration of its own. */
function prepareNested(schema: JSONSchemaProps, context: PrepareContext, fieldName: string, depth: number): Prepared {
  const nests = schema.properties !== undefined || schema.type === 'array';
  if (depth < INLINE_DEPTH || !nests) return prepareSchema(schema, context, undefined, fieldName, depth);
  const name = uniqueName(context, pascal(fieldName));
  context.hoisted.push({ name, schema, fieldName });
  // The description and markers stay with the field; the declaration is only the shape.
  const description = descriptionOf(schema);
  return { ...(description ? { description } : {}), tsType: schema.nullable ? `${name} | null` : name };
}

/** The declaration of a hoisted type (which may hoist further ones). */
export function prepareDeclaration({ name, schema, fieldName }: Hoisted, context: PrepareContext): Prepared {
  const { description: _description, type: _type, ...shape } = prepareSchema(schema, context, name, fieldName);
  return { ...shape, type: schema.type === 'array' ? 'array' : 'object' };
}

function prepareItems(items: JSONSchemaProps, context: PrepareContext, fieldName: string, depth: number): Prepared {
  if (items.type === 'object' && items.properties)
    return prepareSchema(items, context, uniqueName(context, `${pascal(fieldName)}Item`), fieldName);
  if (items.type === 'object' || items.type === 'array') return prepareNested(items, context, fieldName, depth + 1);
  const { description: _description, ...scalar } = prepareSchema(
    { ...items, description: undefined },
    context,
    undefined,
    fieldName,
  );
  return scalar;
}

/** The root of a kind: metadata is `V1ObjectMeta`, spec and status are named `<Kind>Spec`/`<Kind>Status`. */
export function prepareRoot(schema: JSONSchemaProps, kind: string, context: PrepareContext): Prepared {
  context.names.add(kind);
  const root = prepareSchema(schema, context, kind);
  const properties = (root.properties ?? {}) as Record<string, Prepared>;
  // Every object of a kind has metadata, declared in its schema or not (old CRDs often leave it out).
  context.usesObjectMeta = true;
  root.properties = { ...properties, metadata: { tsType: 'V1ObjectMeta' } };
  for (const part of ['spec', 'status']) {
    const sub = schema.properties?.[part];
    if (sub?.properties && (sub.type ?? 'object') === 'object') {
      (root.properties as Record<string, Prepared>)[part] = prepareSchema(
        sub,
        context,
        uniqueName(context, `${kind}${part === 'spec' ? 'Spec' : 'Status'}`),
        part,
      );
    }
  }
  // The first pass over spec and status was replaced: what it hoisted is declared by the second.
  const referenced = referencedNames(root);
  context.hoisted = context.hoisted.filter((entry) => referenced.has(entry.name));
  return root;
}

/** The type names a prepared tree refers to (`tsType`), nested declarations not followed. */
function referencedNames(prepared: Prepared): Set<string> {
  const names = new Set<string>();
  const stack = [prepared];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (typeof node.tsType === 'string') names.add(node.tsType.replace(/ \| null$/, ''));
    const children = [node.items, node.additionalProperties, ...Object.values((node.properties ?? {}) as object)];
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push(child as Prepared);
  }
  return names;
}
