/**
 * Structural checks on each field's schema, with the field's file:line: every node needs a type
 * (unless it preserves unknown fields or is int-or-string), and `default`/`enum`/`example` values
 * must satisfy the schema they sit on, and CEL rules must sit where CEL has a type (the apiserver
 * would otherwise reject the whole CRD).
 */
import type { Diagnostics } from '../diagnostics.js';
import type { JSONSchemaProps } from '../json-schema.js';
import { CEL_INVISIBLE_HINT, celVisible, isSchemaless, re2Matches, validRe2, type Marker } from '../markers/index.js';
import type { FieldDecl } from '../source/index.js';

export function checkFieldSchema(
  schema: JSONSchemaProps,
  field: FieldDecl,
  markers: Marker[],
  diagnostics: Diagnostics,
): void {
  const schemaless = isSchemaless(markers);
  const free = keepsAnyJson(schema);
  const keyword = field.type.kind === 'keyword' ? field.type.name : undefined;
  // The apiserver refuses a field without a type unless it keeps any JSON: Schemaless alone too.
  if (!free && !schema.type) {
    diagnostics.error(
      field.loc,
      schemaless
        ? `field "${field.name}" is Schemaless, so only its markers make its schema, which has no type: add +kubebuilder:pruning:PreserveUnknownFields to keep any JSON (and +kubebuilder:validation:Type=… to say its JSON type)`
        : `field "${field.name}" has no schema type${keyword ? ` (${keyword})` : ''}: add +kubebuilder:pruning:PreserveUnknownFields to keep any JSON`,
    );
  } else if (!schemaless && !free) {
    if ((keyword === 'object' || isFreeFormLiteral(field)) && !schema.properties && !schema.additionalProperties) {
      diagnostics.error(
        field.loc,
        `field "${field.name}" is an untyped object: declare its fields, or add +kubebuilder:pruning:PreserveUnknownFields to keep any JSON`,
      );
    }
  }
  for (const [node, subject, depth] of valueNodes(schema, `field "${field.name}"`)) {
    // The apiserver refuses array items and map values without a type, as it refuses fields.
    if (depth > 0 && !keepsAnyJson(node) && !node.type)
      diagnostics.error(
        field.loc,
        `${subject} have no schema type: declare their type, or keep any JSON with RawExtension from kubeforge/api (or +kubebuilder:validation:items:XPreserveUnknownFields on a list)`,
      );
    // It refuses CEL rules on a node its CEL has no type for.
    else if (node['x-kubernetes-validations']?.length && !celVisible(node))
      diagnostics.error(
        field.loc,
        `CEL rules (XValidation, k8s:immutable, or its type's) cannot sit on ${subject}: ${depth > 0 ? 'they are' : 'it is'} ${CEL_INVISIBLE_HINT}`,
      );
  }
  if (schema.default !== undefined) {
    const problem = validateValue(schema.default, schema, field.name);
    if (problem) diagnostics.error(field.loc, `the default of "${field.name}" fails its own schema: ${problem}`);
  }
  for (const value of schema.enum ?? []) {
    const problem = validateValue(value, { ...schema, enum: undefined }, field.name);
    if (problem)
      diagnostics.error(
        field.loc,
        `enum value ${JSON.stringify(value)} of "${field.name}" fails its schema: ${problem}`,
      );
  }
}

const keepsAnyJson = (schema: JSONSchemaProps) =>
  schema['x-kubernetes-preserve-unknown-fields'] === true || schema['x-kubernetes-int-or-string'] === true;

/** A field's schema, then its array items and map values, at any depth (not its properties: fields of their own). */
function* valueNodes(
  schema: JSONSchemaProps,
  subject: string,
  depth = 0,
): Generator<[JSONSchemaProps, string, number]> {
  yield [schema, subject, depth];
  if (schema.items) yield* valueNodes(schema.items, `the items of ${subject}`, depth + 1);
  if (typeof schema.additionalProperties === 'object')
    yield* valueNodes(schema.additionalProperties, `the values of ${subject}`, depth + 1);
}

/** `{ [key: string]: unknown }`: an object literal whose only member is an `unknown` index signature. */
function isFreeFormLiteral(field: FieldDecl): boolean {
  const type = field.type;
  return (
    type.kind === 'object' &&
    type.fields.length === 0 &&
    type.index?.kind === 'keyword' &&
    (type.index.name === 'unknown' || type.index.name === 'any')
  );
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const INT32 = 2 ** 31;
const DATE = '\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
/** String formats whose defaults are checked here as the apiserver checks them (others are not checked). */
const FORMATS: Record<string, RegExp> = {
  date: new RegExp(`^${DATE}$`),
  'date-time': new RegExp(`^${DATE}[Tt ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d+)?)?([Zz]|[+-]\\d{2}:?\\d{2})?$`),
  uuid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
};

/** go-openapi's test that a quotient is whole: exact, or within a relative error of 1e-9. */
function isWhole(f: number): boolean {
  if (!Number.isFinite(f)) return false;
  const g = Math.trunc(f);
  if (f === g) return true;
  return Math.abs(f - g) / (Math.abs(f) + Math.abs(g)) < 1e-9;
}

/**
 * multipleOf as the apiserver checks it: a whole-number value against a factor its schema type
 * holds is compared in integers (the factor truncated, so 0.5 becomes 0 and fails every value);
 * otherwise the quotient must be whole within go-openapi's tolerance.
 */
function notMultiple(value: number, factor: number, schema: JSONSchemaProps): boolean {
  const factorFits = schema.type !== 'integer' || Number.isInteger(factor);
  if (factorFits && Number.isInteger(value)) {
    const whole = Math.trunc(factor);
    return whole <= 0 || value % whole !== 0;
  }
  return !isWhole(factor < 1 ? (1 / factor) * value : value / factor);
}

/** Keys of an object default the apiserver would prune: not declared, and unknown fields not preserved. */
function prunedKeys(object: Record<string, unknown>, schema: JSONSchemaProps): string[] {
  if (schema.type !== 'object' || schema['x-kubernetes-preserve-unknown-fields']) return [];
  if (typeof schema.additionalProperties === 'object') return [];
  const kept = schema['x-kubernetes-embedded-resource'] ? ['apiVersion', 'kind', 'metadata'] : [];
  return Object.keys(object).filter((key) => !Object.hasOwn(schema.properties ?? {}, key) && !kept.includes(key));
}

/** A small JSON-schema validator for the keywords CRDs use; returns the first problem found. */
export function validateValue(value: unknown, schema: JSONSchemaProps, path: string): string | undefined {
  const actual = typeOf(value);
  if (value === null) return schema.nullable ? undefined : `${path} is null but not nullable`;
  if (schema['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') return `${path} must be an integer or a string, got ${actual}`;
  } else if (schema.type && schema.type !== actual && !(schema.type === 'number' && actual === 'integer')) {
    return `${path} must be ${schema.type}, got ${actual} ${JSON.stringify(value)}`;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    return `${path} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(value)}`;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum))
      return `${path} must be ${schema.exclusiveMinimum ? '>' : '>='} ${schema.minimum}`;
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum))
      return `${path} must be ${schema.exclusiveMaximum ? '<' : '<='} ${schema.maximum}`;
    if (schema.multipleOf !== undefined && notMultiple(value, schema.multipleOf, schema))
      return `${path} must be a multiple of ${schema.multipleOf}`;
    if (schema.format === 'int32' && (value < -INT32 || value >= INT32)) return `${path} does not fit in an int32`;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      return `${path} must be at least ${schema.minLength} characters`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      return `${path} must be at most ${schema.maxLength} characters`;
    const format =
      schema.format !== undefined && Object.hasOwn(FORMATS, schema.format) ? FORMATS[schema.format] : undefined;
    if (format && !format.test(value))
      return `${path} must be of format ${schema.format}, got ${JSON.stringify(value)}`;
    if (schema.pattern !== undefined && validRe2(schema.pattern) && !re2Matches(schema.pattern, value))
      return `${path} must match ${schema.pattern}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      return `${path} must have at least ${schema.minItems} items`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      return `${path} must have at most ${schema.maxItems} items`;
    if (schema.items) {
      for (const [i, item] of value.entries()) {
        const problem = validateValue(item, schema.items, `${path}[${i}]`);
        if (problem) return problem;
      }
    }
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!Object.hasOwn(object, key)) return `${path}.${key} is required`;
    const count = Object.keys(object).length;
    if (schema.minProperties !== undefined && count < schema.minProperties)
      return `${path} must have at least ${schema.minProperties} properties`;
    if (schema.maxProperties !== undefined && count > schema.maxProperties)
      return `${path} must have at most ${schema.maxProperties} properties`;
    const pruned = prunedKeys(object, schema);
    if (pruned.length > 0)
      return `${path}.${pruned[0]} is not a field of the schema (the apiserver prunes unknown fields and refuses a default that has any): remove it, declare the field, or add +kubebuilder:pruning:PreserveUnknownFields`;
    for (const [key, item] of Object.entries(object)) {
      const sub =
        (Object.hasOwn(schema.properties ?? {}, key) ? schema.properties![key] : undefined) ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (sub) {
        const problem = validateValue(item, sub, `${path}.${key}`);
        if (problem) return problem;
      }
    }
  }
  // A field's and its type's conflicting keywords both apply, from allOf (see named-type-markers.ts).
  for (const part of schema.allOf ?? []) {
    const problem = validateValue(value, part, path);
    if (problem) return problem;
  }
  return undefined;
}
