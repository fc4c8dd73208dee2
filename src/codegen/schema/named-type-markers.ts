/**
 * Markers on a field (or alias) whose type is a named declaration with markers of its own, as
 * controller-gen v0.23 combines them: the field is a `$ref` with the field's keywords next to it,
 * flattened into the type's schema. A keyword only one of them sets is kept; where both set it,
 * the field's description, title, example and externalDocs win, list and map types and
 * preserve-unknown-fields come from the field, CEL rules are the field's then the type's,
 * `required` is the union, and the other keywords (bounds, pattern, format, default…) move into
 * an `allOf` of the type's value and the field's (both apply; a string or flag both set alike,
 * and min/maxProperties of one value, stay). One difference, documented: a field's `Enum` (which
 * kubeforge checks is a subset of the type's) narrows the type's, where controller-gen keeps the
 * type's and drops the field's silently.
 */
import type { Diagnostics } from '../diagnostics.js';
import type { JSONSchemaProps } from '../json-schema.js';
import type { Marker } from '../markers/index.js';
import { applyMarkers } from './apply-markers.js';

type Schema = Record<string, unknown>;

const FIELD_WINS = new Set(['description', 'title', 'example', 'externalDocs', 'enum']);
const FROM_FIELD = new Set([
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-map-type',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
]);
const KEEP_WHEN_EQUAL = new Set(['minProperties', 'maxProperties']);
/** Keywords markers append to: the field's own part is what follows the type's. */
const APPENDED = ['x-kubernetes-validations', 'x-kubernetes-list-map-keys'] as const;

/** controller-gen's flattenAllOfInto for one field's keywords (`own`) over its type's schema. */
function flattenInto(type: Schema, own: Schema): Schema {
  const out: Schema = { ...type };
  const typeRest: Schema = {};
  const fieldRest: Schema = {};
  for (const [key, value] of Object.entries(own)) {
    if (value === undefined || value === false) continue;
    const existing = out[key];
    if (existing === undefined || existing === false || FIELD_WINS.has(key) || FROM_FIELD.has(key)) out[key] = value;
    else if (key === 'x-kubernetes-validations') out[key] = [...(value as unknown[]), ...(existing as unknown[])];
    else if (key === 'required') out[key] = [...new Set([...(existing as string[]), ...(value as string[])])].sort();
    else if (
      (KEEP_WHEN_EQUAL.has(key) || typeof value === 'string' || typeof value === 'boolean') &&
      existing === value
    )
      continue;
    else {
      typeRest[key] = existing;
      fieldRest[key] = value;
      delete out[key];
    }
  }
  if (Object.keys(fieldRest).length > 0)
    out.allOf = [...((out.allOf as Schema[] | undefined) ?? []), typeRest, fieldRest];
  return out;
}

/**
 * The schema of `markers` applied to a use of a named type whose schema is `typeSchema`. Markers
 * that remove keywords (`Type`, `XIntOrString`, `Schemaless`) or reach into items replace the
 * type's schema as they do elsewhere.
 */
export function applyMarkersToNamedType(
  typeSchema: JSONSchemaProps,
  markers: Marker[],
  subject: string,
  diagnostics: Diagnostics,
): JSONSchemaProps {
  const applied = structuredClone(typeSchema) as Schema;
  const written = new Set<string>();
  let removes = false;
  const recorder = new Proxy(applied, {
    set(target, key, value) {
      if (typeof key === 'string') written.add(key);
      return Reflect.set(target, key, value);
    },
    deleteProperty(target, key) {
      removes = true;
      return Reflect.deleteProperty(target, key);
    },
  });
  applyMarkers(recorder as JSONSchemaProps, markers, subject, diagnostics);
  if (removes || markers.some((m) => m.items)) return applied as JSONSchemaProps;
  const own: Schema = Object.fromEntries([...written].map((key) => [key, applied[key]]));
  for (const key of APPENDED)
    if (own[key])
      own[key] = (own[key] as unknown[]).slice(((typeSchema as Schema)[key] as unknown[] | undefined)?.length ?? 0);
  return flattenInto(typeSchema as Schema, own) as JSONSchemaProps;
}
