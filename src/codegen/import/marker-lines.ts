/**
 * A schema node's validations as kubebuilder markers for the JSDoc, so `kubeforge manifests` on
 * imported types reproduces the schema. A node a CRD schema cannot express (see
 * `mark-schemaless.ts`) gets only Schemaless + PreserveUnknownFields: its TypeScript type is exact,
 * its schema free-form JSON (`kubeforge manifests` does not look at a Schemaless node's type). An
 * untyped node is `unknown` with PreserveUnknownFields.
 */
import { QUANTITY_PATTERN } from '../json-schema.js';
import type { CombinedNode } from './combinators.js';
import { isUntyped, type SchemaNode } from './schema-node.js';

const MARKER_KEYWORDS: [keyof SchemaNode, string][] = [
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

/** Formats that are `kubeforge/api` scalars, so no Format marker. */
export const SCALAR_FORMATS: Record<string, string> = { int32: 'int32', int64: 'int64', 'date-time': 'Time' };

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

const FREE_FORM = '+kubebuilder:pruning:PreserveUnknownFields';
const SCHEMALESS = ['+kubebuilder:validation:Schemaless', FREE_FORM];

function markerLines(schema: CombinedNode, prefix: string): string[] {
  const lines: string[] = [];
  for (const [keyword, marker] of MARKER_KEYWORDS) {
    if (schema[keyword] !== undefined)
      lines.push(`+kubebuilder:validation:${prefix}${marker}=${String(schema[keyword])}`);
  }
  if (schema.pattern !== undefined && schema.pattern !== QUANTITY_PATTERN)
    lines.push(`+kubebuilder:validation:${prefix}Pattern=${rawOrQuoted(schema.pattern)}`);
  if (schema.format && !SCALAR_FORMATS[schema.format] && schema.format !== 'int-or-string')
    lines.push(`+kubebuilder:validation:${prefix}Format=${schema.format}`);
  if (schema.type === 'integer' && !schema.format && !schema.enum)
    lines.push(`+kubebuilder:validation:${prefix}Type=integer`);
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const args = Object.entries(rule).map(([k, v]) => `${k}=${typeof v === 'string' ? quoted(v) : String(v)}`);
    lines.push(`+kubebuilder:validation:${prefix}XValidation:${args.join(',')}`);
  }
  if (prefix) return lines;
  for (const { exactly, fields } of schema.oneOfRequired ?? [])
    lines.push(`+kubebuilder:validation:${exactly ? 'ExactlyOneOf' : 'AtLeastOneOf'}=${fields.join(';')}`);
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

/** Whether an array's items are scalars, whose markers the array carries as `items:` markers. */
export function hasScalarItems(schema: SchemaNode): boolean {
  const items = schema.items;
  return (
    !!items &&
    !items.ref &&
    !items.schemaless &&
    items.type !== 'object' &&
    items.type !== 'array' &&
    !items.anyOf &&
    !items.allOf
  );
}

/** Where a JSDoc goes: a field whose type is declared on its own takes the field-only markers. */
export type MarkerPart = 'all' | 'field' | 'type';

const FIELD_ONLY = /^\+kubebuilder:default=/;

/**
 * The JSDoc of a node: its description, then its validations as markers (of one `part`). A node
 * with no type nor anything implying one is `unknown`, kept as free-form JSON in a CRD.
 */
export function descriptionOf(schema: SchemaNode, part: MarkerPart = 'all'): string {
  let lines: string[];
  if (schema.schemaless) lines = SCHEMALESS;
  else if (isUntyped(schema)) lines = [FREE_FORM];
  else lines = [...markerLines(schema, ''), ...(hasScalarItems(schema) ? markerLines(schema.items!, 'items:') : [])];
  const kept = part === 'all' ? lines : lines.filter((line) => FIELD_ONLY.test(line) === (part === 'field'));
  return [schema.description ?? '', ...kept].filter(Boolean).join('\n');
}
