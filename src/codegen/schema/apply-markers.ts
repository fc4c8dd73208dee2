/**
 * Field and type markers → schema keywords. Each marker checks that it fits the schema it lands on
 * (Minimum on a string is an error, not a silently ignored keyword).
 */
import type { Diagnostics } from '../diagnostics.js';
import type { Marker } from '../markers/index.js';
import type { FieldDecl } from '../source/index.js';
import { INT_OR_STRING, type JSONSchemaProps } from './json-schema.js';

const V = 'kubebuilder:validation:';

type Kind = 'numeric' | 'string' | 'array' | 'object';

const NEEDS: Record<string, Kind> = {
  Minimum: 'numeric',
  Maximum: 'numeric',
  ExclusiveMinimum: 'numeric',
  ExclusiveMaximum: 'numeric',
  MultipleOf: 'numeric',
  MinLength: 'string',
  MaxLength: 'string',
  Pattern: 'string',
  MinItems: 'array',
  MaxItems: 'array',
  UniqueItems: 'array',
  MinProperties: 'object',
  MaxProperties: 'object',
  EmbeddedResource: 'object',
};

const KEYWORD: Record<string, keyof JSONSchemaProps> = {
  Minimum: 'minimum',
  Maximum: 'maximum',
  ExclusiveMinimum: 'exclusiveMinimum',
  ExclusiveMaximum: 'exclusiveMaximum',
  MultipleOf: 'multipleOf',
  MinLength: 'minLength',
  MaxLength: 'maxLength',
  Pattern: 'pattern',
  MinItems: 'minItems',
  MaxItems: 'maxItems',
  UniqueItems: 'uniqueItems',
  MinProperties: 'minProperties',
  MaxProperties: 'maxProperties',
  Enum: 'enum',
  Format: 'format',
  Type: 'type',
};

function fits(schema: JSONSchemaProps, kind: Kind): boolean {
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

function addRule(schema: JSONSchemaProps, rule: JSONSchemaProps['x-kubernetes-validations'] & object): void {
  schema['x-kubernetes-validations'] = [...(schema['x-kubernetes-validations'] ?? []), ...rule];
}

/** controller-gen's rules, character for character: a constant-cost sum, or `||` for at-least-one. */
function oneOfRule(name: string, fields: string[]): { rule: string; message: string } {
  const sum = fields.map((f) => `(has(self.${f})?1:0)`).join('+');
  const list = `[${fields.join(' ')}]`;
  switch (name) {
    case 'ExactlyOneOf':
      return { rule: `${sum} == 1`, message: `exactly one of the fields in ${list} must be set` };
    case 'AtMostOneOf':
      return { rule: `${sum} <= 1`, message: `at most one of the fields in ${list} may be set` };
    default:
      return {
        rule: fields.map((f) => `has(self.${f})`).join('||'),
        message: `at least one of the fields in ${list} must be set`,
      };
  }
}

/** Application order: Schemaless, then Type/XIntOrString, then the rest; CEL rules in controller-gen's order. */
const PRIORITY: Record<string, number> = {
  [V + 'Schemaless']: 0,
  [V + 'Type']: 1,
  [V + 'XIntOrString']: 1,
  [V + 'XValidation']: 3,
  [V + 'AtMostOneOf']: 4,
  [V + 'ExactlyOneOf']: 5,
  [V + 'AtLeastOneOf']: 6,
};

/** Applies markers in a stable order (see PRIORITY), so later keywords see the result of earlier ones. */
export function applyMarkers(
  schema: JSONSchemaProps,
  markers: Marker[],
  subject: string,
  diagnostics: Diagnostics,
): void {
  const priority = (m: Marker) => PRIORITY[m.name] ?? 2;
  for (const marker of [...markers].sort((a, b) => priority(a) - priority(b))) {
    let target = schema;
    if (marker.items) {
      if (schema.type !== 'array' || !schema.items) {
        diagnostics.error(
          marker.loc,
          `+${marker.definition.name} applies to array items, but ${subject} is not an array`,
        );
        continue;
      }
      target = schema.items;
    }
    applyOne(target, marker, subject, diagnostics);
  }
}

function applyOne(schema: JSONSchemaProps, marker: Marker, subject: string, diagnostics: Diagnostics): void {
  const short = marker.name.startsWith(V) ? marker.name.slice(V.length) : marker.name;
  const needs = NEEDS[short];
  if (marker.name.startsWith(V) && needs && !fits(schema, needs)) {
    const actual = schema.type ?? (schema['x-kubernetes-int-or-string'] ? 'int-or-string' : 'untyped');
    diagnostics.error(
      marker.loc,
      `+${marker.definition.name} needs a${needs === 'array' || needs === 'object' ? 'n' : ''} ${needs} ${needs === 'numeric' ? 'value' : 'type'}, but ${subject} is ${actual}`,
    );
    return;
  }
  const set = <K extends keyof JSONSchemaProps>(key: K, value: JSONSchemaProps[K]) => {
    schema[key] = value;
  };
  if (short === 'UniqueItems' && marker.value === true) {
    diagnostics.error(
      marker.loc,
      `+${marker.definition.name}=true is rejected by the apiserver (quadratic validation cost); use +listType=set for unique items`,
    );
    return;
  }
  // controller-gen omits false booleans; so do we.
  if (short === 'UniqueItems') return;
  if (marker.name.startsWith(V) && KEYWORD[short]) {
    set(KEYWORD[short], marker.value as never);
    if (short === 'Type') {
      delete schema['x-kubernetes-int-or-string'];
      delete schema.anyOf;
    }
    return;
  }
  switch (marker.name) {
    case V + 'XIntOrString':
      delete schema.type;
      Object.assign(schema, structuredClone(INT_OR_STRING));
      return;
    case V + 'EmbeddedResource':
      set('x-kubernetes-embedded-resource', true);
      return;
    case V + 'Schemaless':
      for (const key of Object.keys(schema) as (keyof JSONSchemaProps)[]) if (key !== 'description') delete schema[key];
      return;
    case V + 'XValidation':
      addRule(schema, [marker.fields as { rule: string }]);
      return;
    case V + 'ExactlyOneOf':
    case V + 'AtMostOneOf':
    case V + 'AtLeastOneOf': {
      const fields = marker.value as string[];
      const unknown = fields.filter((f) => !schema.properties?.[f]);
      if (unknown.length > 0)
        diagnostics.error(
          marker.loc,
          `+${marker.definition.name} names unknown field(s) ${unknown.join(', ')} of ${subject}`,
        );
      else addRule(schema, [oneOfRule(short, fields)]);
      return;
    }
    case 'k8s:immutable':
      addRule(schema, [{ rule: 'self == oldSelf', message: `${subject} is immutable` }]);
      return;
    case 'kubebuilder:default':
    case 'default':
      set('default', marker.value);
      return;
    case 'kubebuilder:example':
      set('example', marker.value);
      return;
    case 'kubebuilder:title':
      set('title', marker.value as string);
      return;
    case 'nullable':
      set('nullable', true);
      return;
    case 'listType':
      if (checkValue(marker, ['atomic', 'set', 'map'], schema.type === 'array', 'an array', subject, diagnostics))
        set('x-kubernetes-list-type', marker.value as string);
      return;
    case 'listMapKey':
      if (checkValue(marker, undefined, schema.type === 'array', 'an array', subject, diagnostics)) {
        set('x-kubernetes-list-map-keys', [...(schema['x-kubernetes-list-map-keys'] ?? []), marker.value as string]);
      }
      return;
    case 'mapType':
    case 'structType':
      if (checkValue(marker, ['granular', 'atomic'], schema.type === 'object', 'an object', subject, diagnostics))
        set('x-kubernetes-map-type', marker.value as string);
      return;
    case 'kubebuilder:pruning:PreserveUnknownFields':
      set('x-kubernetes-preserve-unknown-fields', true);
      return;
  }
}

function checkValue(
  marker: Marker,
  allowed: string[] | undefined,
  fitsType: boolean,
  typeText: string,
  subject: string,
  diagnostics: Diagnostics,
): boolean {
  if (!fitsType) {
    diagnostics.error(marker.loc, `+${marker.name} needs ${typeText}, but ${subject} is not one`);
    return false;
  }
  if (allowed && !allowed.includes(marker.value as string)) {
    diagnostics.error(
      marker.loc,
      `+${marker.name}=${String(marker.value)} is not valid; use one of ${allowed.join(', ')}`,
    );
    return false;
  }
  return true;
}

/** `?` is the only source of optionality; markers may agree with it but never contradict it. */
export function checkOptionality(field: FieldDecl, diagnostics: Diagnostics): void {
  for (const marker of field.markers) {
    if ((marker.name === 'optional' || marker.name === V + 'Optional') && !field.optional) {
      diagnostics.error(
        marker.loc,
        `+${marker.name} on required field "${field.name}": add "?" to the field to make it optional ("?" is the only source of optionality)`,
      );
    }
    if ((marker.name === 'required' || marker.name === V + 'Required') && field.optional) {
      diagnostics.error(
        marker.loc,
        `+${marker.name} on optional field "${field.name}": remove the "?" to make it required ("?" is the only source of optionality)`,
      );
    }
  }
}
