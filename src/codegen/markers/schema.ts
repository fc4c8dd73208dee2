/**
 * The other markers of fields and types: optionality (which only has to agree with `?`), defaults,
 * examples, titles, nullability, list/map/struct types, pruning and immutability.
 */
import { addRule } from '../json-schema.js';
import type { MarkerSpec, ParsedMarker, SchemaContext } from './definition.js';
import { show } from './syntax.js';

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

const fieldDefault: MarkerSpec = {
  targets: ['field'],
  value: 'any',
  applyToSchema(schema, marker) {
    schema.default = marker.value;
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
  'kubebuilder:default': fieldDefault,
  default: fieldDefault,
  'kubebuilder:example': {
    targets: FIELD_OR_TYPE,
    value: 'any',
    applyToSchema(schema, marker) {
      schema.example = marker.value;
    },
  },
  'kubebuilder:title': {
    targets: FIELD_OR_TYPE,
    value: 'string',
    applyToSchema(schema, marker) {
      schema.title = marker.value as string;
    },
  },
  listType: {
    targets: FIELD_OR_TYPE,
    value: 'string',
    applyToSchema(schema, marker, context) {
      if (checkValue(marker, ['atomic', 'set', 'map'], schema.type === 'array', 'an array', context))
        schema['x-kubernetes-list-type'] = marker.value as string;
    },
  },
  listMapKey: {
    targets: FIELD_OR_TYPE,
    value: 'string',
    repeatable: true,
    applyToSchema(schema, marker, context) {
      if (checkValue(marker, undefined, schema.type === 'array', 'an array', context))
        schema['x-kubernetes-list-map-keys'] = [
          ...(schema['x-kubernetes-list-map-keys'] ?? []),
          marker.value as string,
        ];
    },
  },
  mapType,
  structType: mapType,
  'kubebuilder:pruning:PreserveUnknownFields': {
    targets: FIELD_OR_TYPE,
    applyToSchema(schema) {
      schema['x-kubernetes-preserve-unknown-fields'] = true;
    },
  },
} satisfies Record<string, MarkerSpec>;
