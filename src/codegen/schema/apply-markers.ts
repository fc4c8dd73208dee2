/**
 * Field and type markers → schema keywords, through each marker's `applyToSchema`. A marker that
 * `needs` a kind of schema is checked against the one it lands on first (Minimum on a string is an
 * error, not a silently ignored keyword); `items:` variants land on the array's items.
 */
import type { Diagnostics } from '../diagnostics.js';
import type { JSONSchemaProps } from '../json-schema.js';
import { sameMarker, type Marker, type SchemaKind } from '../markers/index.js';
import type { FieldDecl } from '../source/index.js';

function fits(schema: JSONSchemaProps, kind: SchemaKind): boolean {
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  switch (kind) {
    case 'numeric':
      return schema.type === 'integer' || schema.type === 'number' || intOrString;
    case 'string':
      return schema.type === 'string' || intOrString;
    case 'array':
      return schema.type === 'array';
    case 'object':
      return schema.type === 'object';
  }
}

/** The markers but the repeats of one that is not `repeatable` (Minimum=1 then Minimum=5), each an error. */
function withoutRepeats(markers: Marker[], subject: string, diagnostics: Diagnostics): Marker[] {
  const kept: Marker[] = [];
  for (const marker of markers) {
    const first = marker.definition.repeatable ? undefined : kept.find((m) => sameMarker(m, marker));
    if (!first) kept.push(marker);
    else
      diagnostics.error(
        marker.loc,
        `+${marker.definition.name} is repeated on ${subject} (first +${first.definition.name} at line ${first.loc.line}): keep one; a marker that takes one value is not overridden by a later one`,
      );
  }
  return kept;
}

/** Applies markers in their `schemaOrder` (stable), so later keywords see the result of earlier ones. */
export function applyMarkers(
  schema: JSONSchemaProps,
  markers: Marker[],
  subject: string,
  diagnostics: Diagnostics,
): void {
  const order = (m: Marker) => m.definition.schemaOrder ?? 2;
  for (const marker of [...withoutRepeats(markers, subject, diagnostics)].sort((a, b) => order(a) - order(b))) {
    const { definition } = marker;
    let target = schema;
    if (marker.items) {
      if (schema.type !== 'array' || !schema.items) {
        diagnostics.error(marker.loc, `+${definition.name} applies to array items, but ${subject} is not an array`);
        continue;
      }
      target = schema.items;
    }
    const needs = definition.needs;
    if (needs && !fits(target, needs)) {
      const actual = target.type ?? (target['x-kubernetes-int-or-string'] ? 'int-or-string' : 'untyped');
      diagnostics.error(
        marker.loc,
        `+${definition.name} needs a${needs === 'array' || needs === 'object' ? 'n' : ''} ${needs} ${needs === 'numeric' ? 'value' : 'type'}, but ${subject} is ${actual}`,
      );
      continue;
    }
    definition.applyToSchema?.(target, marker, { subject, diagnostics });
  }
}

/** Runs the field checks of a field's markers (optionality must agree with `?`). */
export function checkFieldMarkers(field: FieldDecl, diagnostics: Diagnostics): void {
  for (const marker of field.markers) marker.definition.checkField?.(field, marker, diagnostics);
}
