/**
 * The other markers of fields and types: optionality (which only has to agree with `?`), defaults,
 * examples, titles, external docs, nullability, list/map/struct types, pruning and immutability, each also under
 * the `+k8s:` name controller-gen v0.23 reads (`k8s:optional`, `k8s:required`, `k8s:listType`, …).
 */
import { addRule } from '../json-schema.js';
import type { MarkerSpec, ParsedMarker, SchemaContext } from './definition.js';
import { show } from './syntax.js';
import { preserveUnknownFields } from './validation.js';

const FIELD_OR_TYPE = ['field', 'type'] as const;

/** `?` is the only source of optionality; markers may agree with it but never contradict it. */
const optional: MarkerSpec = {
  targets: ['field'],
  checkField(field, marker, diagnostics) {
    if (!field.optional)
      diagnostics.error(
        marker.loc,
        `+${marker.name} on required field "${field.name}": add "?" to the field to make it optional ("?" is the only source of optionality)`,
      );
  },
};
const required: MarkerSpec = {
  targets: ['field'],
  checkField(field, marker, diagnostics) {
    if (field.optional)
      diagnostics.error(
        marker.loc,
        `+${marker.name} on optional field "${field.name}": remove the "?" to make it required ("?" is the only source of optionality)`,
      );
  },
};
/** The `kubebuilder:validation:` spellings are also package markers in Go, which kubeforge refuses. */
const packageLevel: MarkerSpec = {
  targets: ['field', 'package'],
  applyToPackage(_settings, marker, diagnostics) {
    diagnostics.error(
      marker.loc,
      `package-level +${marker.name} has no effect in kubeforge: "?" on each field decides what is optional`,
    );
  },
};

/** The value of a marker that only fits one schema type and takes one of `allowed` (if given). */
function checkValue(
  marker: ParsedMarker,
  allowed: string[] | undefined,
  fitsType: boolean,
  typeText: string,
  { subject, diagnostics }: SchemaContext,
): boolean {
  if (!fitsType) {
    diagnostics.error(marker.loc, `+${marker.name} needs ${typeText}, but ${subject} is not one`);
    return false;
  }
  if (allowed && !allowed.includes(marker.value as string)) {
    diagnostics.error(
      marker.loc,
      `+${marker.name}=${show(marker.value)} is not valid; use one of ${allowed.join(', ')}`,
    );
    return false;
  }
  return true;
}

/** `+kubebuilder:default`: marker syntax (`{a,b}`, `{key: v}`); `{}` on an array means `[]`, as controller-gen reads it. */
const kubebuilderDefault: MarkerSpec = {
  targets: ['field'],
  value: 'any',
  // After `+default`, so that it wins when a field has both (controller-gen's priorities 9 and 10).
  schemaOrder: 8,
  applyToSchema(schema, marker) {
    const emptyObject =
      typeof marker.value === 'object' && marker.value !== null && Object.keys(marker.value).length === 0;
    schema.default = schema.type === 'array' && emptyObject ? [] : marker.value;
  },
};
/** `+default`: Kubernetes' spelling, JSON only; `ref(…)` (a Go constant) is skipped with a warning, as controller-gen skips it. */
const kubernetesDefault: MarkerSpec = {
  targets: ['field'],
  value: 'json',
  schemaOrder: 7,
  applyToSchema(schema, marker, { subject, diagnostics }) {
    if (marker.value === undefined)
      diagnostics.warn(
        `${diagnostics.where(marker.loc)}: +default=ref(…) on ${subject} is ignored (as controller-gen ignores it): write the value, e.g. +kubebuilder:default=<value>`,
      );
    else schema.default = marker.value;
  },
};
/** `+k8s:required`: required, and a required string, list or map is not empty (unless a marker already bounds it). */
const k8sRequired: MarkerSpec = {
  ...required,
  schemaOrder: 3,
  applyToSchema(schema) {
    const key = ({ string: 'minLength', array: 'minItems', object: 'minProperties' } as const)[schema.type ?? ''];
    if (key && schema[key] === undefined) schema[key] = 1;
  },
};
const mapType: MarkerSpec = {
  targets: FIELD_OR_TYPE,
  value: 'string',
  applyToSchema(schema, marker, context) {
    if (checkValue(marker, ['granular', 'atomic'], schema.type === 'object', 'an object', context))
      schema['x-kubernetes-map-type'] = marker.value as string;
  },
};

const listType: MarkerSpec = {
  targets: FIELD_OR_TYPE,
  value: 'string',
  applyToSchema(schema, marker, context) {
    if (checkValue(marker, ['atomic', 'set', 'map'], schema.type === 'array', 'an array', context))
      schema['x-kubernetes-list-type'] = marker.value as string;
  },
};
const listMapKey: MarkerSpec = {
  targets: FIELD_OR_TYPE,
  value: 'string',
  repeatable: true,
  applyToSchema(schema, marker, context) {
    if (checkValue(marker, undefined, schema.type === 'array', 'an array', context))
      schema['x-kubernetes-list-map-keys'] = [...(schema['x-kubernetes-list-map-keys'] ?? []), marker.value as string];
  },
};

export const SCHEMA_MARKERS = {
  'kubebuilder:validation:Optional': { ...optional, ...packageLevel },
  'kubebuilder:validation:Required': { ...required, ...packageLevel },
  optional,
  required,
  nullable: {
    targets: ['field'],
    applyToSchema(schema) {
      schema.nullable = true;
    },
  },
  'k8s:immutable': {
    targets: FIELD_OR_TYPE,
    applyToSchema(schema, _marker, { subject }) {
      addRule(schema, { rule: 'self == oldSelf', message: `${subject} is immutable` });
    },
  },
  'k8s:optional': optional,
  'k8s:required': k8sRequired,
  'kubebuilder:default': kubebuilderDefault,
  default: kubernetesDefault,
  'kubebuilder:example': {
    targets: FIELD_OR_TYPE,
    value: 'any',
    applyToSchema(schema, marker) {
      schema.example = marker.value;
    },
  },
  'kubebuilder:externalDocs': {
    targets: FIELD_OR_TYPE,
    fields: { url: ['string', true], description: ['string'] },
    applyToSchema(schema, { fields, loc }, { diagnostics }) {
      const url = String(fields.url);
      if (!URL.canParse(url) && !url.startsWith('/'))
        diagnostics.error(
          loc,
          `+kubebuilder:externalDocs url=${show(url)} is not a URL (https://…) or an absolute path`,
        );
      else schema.externalDocs = fields.description ? { description: String(fields.description), url } : { url };
    },
  },
  'kubebuilder:title': {
    targets: FIELD_OR_TYPE,
    value: 'string',
    applyToSchema(schema, marker) {
      schema.title = marker.value as string;
    },
  },
  listType,
  listMapKey,
  'k8s:listType': listType,
  'k8s:listMapKey': listMapKey,
  'k8s:enum': {
    targets: ['type'],
    applyToSchema(schema, marker, { subject, diagnostics }) {
      const values = schema.enum ?? [];
      if (values.length === 0 || values.some((v) => typeof v !== 'string'))
        diagnostics.error(
          marker.loc,
          `+k8s:enum needs a union of string literals ('A' | 'B'), but ${subject} is not one: its values are the enum`,
        );
      else {
        // As controller-gen lists a Go enum's constants: sorted by their JSON text.
        const json = (v: unknown) => JSON.stringify(v);
        schema.type = 'string';
        schema.enum = [...values].sort((a, b) => (json(a) < json(b) ? -1 : json(a) > json(b) ? 1 : 0));
      }
    },
  },
  mapType,
  structType: mapType,
  'kubebuilder:pruning:PreserveUnknownFields': preserveUnknownFields,
} satisfies Record<string, MarkerSpec>;
