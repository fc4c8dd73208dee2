/**
 * `+kubebuilder:validation:<Name>` markers on fields and types: OpenAPI keywords, int-or-string,
 * schemaless and embedded resources, and CEL rules (`XValidation`, and controller-gen's
 * `ExactlyOneOf` / `AtMostOneOf` / `AtLeastOneOf`). All but the one-of rules also exist as
 * `kubebuilder:validation:items:<Name>`, for the elements of an array.
 */
import { addRule, celField, INT_OR_STRING, type JSONSchemaProps, type ValidationRule } from '../json-schema.js';
import type { MarkerSpec, ParsedMarker, SchemaContext, SchemaKind, ValueType } from './definition.js';
import { CEL_INVISIBLE_HINT, celVisible } from './cel-visibility.js';
import { parseRe2, Re2Error } from './re2.js';
import { show } from './syntax.js';

const FIELD_OR_TYPE = ['field', 'type'] as const;
const SCHEMA_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'];
const RULE_REASONS = ['FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate'];

/** A marker that sets one schema keyword to its value, if `rule` (the value's own rule) finds no problem. */
function keyword(
  value: ValueType,
  key: keyof JSONSchemaProps,
  needs?: SchemaKind,
  rule?: (value: never, schema: JSONSchemaProps) => string | undefined,
): MarkerSpec {
  return {
    targets: FIELD_OR_TYPE,
    value,
    hasItemsVariant: true,
    needs,
    applyToSchema(schema, marker, { diagnostics }) {
      const problem = rule?.(marker.value as never, schema);
      if (problem) diagnostics.error(marker.loc, `+${marker.definition.name}=${show(marker.value)} ${problem}`);
      else schema[key] = marker.value as never;
    },
  };
}

/** Why no value can satisfy the schema's bounds (Minimum above Maximum, MinLength above MaxLength…), if so. */
function emptyRange(schema: JSONSchemaProps): string | undefined {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  if (minimum !== undefined && maximum !== undefined) {
    if (minimum > maximum) return `Minimum ${minimum} is above Maximum ${maximum}`;
    if (minimum === maximum && (exclusiveMinimum || exclusiveMaximum))
      return `Minimum and Maximum are both ${minimum} and one of them is exclusive`;
  }
  for (const [low, high, what] of [
    ['minLength', 'maxLength', 'Length'],
    ['minItems', 'maxItems', 'Items'],
    ['minProperties', 'maxProperties', 'Properties'],
  ] as const) {
    const [lowValue, highValue] = [schema[low], schema[high]];
    if (lowValue !== undefined && highValue !== undefined && lowValue > highValue)
      return `Min${what} ${lowValue} is above Max${what} ${highValue}`;
  }
  return undefined;
}

/**
 * A bound (Minimum, MaxLength, ExclusiveMaximum…): sets its keyword, then refuses it if it is the
 * marker that leaves no valid value (the apiserver would accept the CRD and reject every object
 * that sets the field). Counts (`Min/MaxLength`, `…Items`, `…Properties`) are never negative.
 */
function bound(value: ValueType, key: keyof JSONSchemaProps, needs: SchemaKind): MarkerSpec {
  const count = value === 'int';
  return {
    targets: FIELD_OR_TYPE,
    value,
    hasItemsVariant: true,
    needs,
    applyToSchema(schema, marker, context) {
      if (count && (marker.value as number) < 0) {
        context.diagnostics.error(
          marker.loc,
          `+${marker.definition.name}=${show(marker.value)} is negative: a count is 0 or more`,
        );
        return;
      }
      const before = emptyRange(schema);
      schema[key] = marker.value as never;
      const after = emptyRange(schema);
      if (after && !before)
        context.diagnostics.error(
          marker.loc,
          `+${marker.definition.name}=${show(marker.value)} leaves ${context.subject} no valid value (${after}): fix the bounds so the lower one does not exceed the upper one`,
        );
    },
  };
}

function checkPattern(pattern: string): string | undefined {
  try {
    parseRe2(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof Re2Error)
      return `is not a valid RE2 pattern, the syntax the apiserver compiles patterns with (Go's regexp): ${error.message}`;
    throw error;
  }
}

/** `+Enum`: at least one value, each once, and only values the type itself allows (a literal union, a type-level Enum). */
function applyEnum(schema: JSONSchemaProps, marker: ParsedMarker, { subject, diagnostics }: SchemaContext): void {
  const values = marker.value as unknown[];
  const name = `+${marker.definition.name}`;
  const key = (v: unknown) => JSON.stringify(v);
  const twice = values.find((v, i) => values.findIndex((w) => key(w) === key(v)) !== i);
  const allowed = schema.enum;
  const foreign = allowed && values.filter((v) => !allowed.some((a) => key(a) === key(v)));
  if (values.length === 0) diagnostics.error(marker.loc, `${name} lists no value: list the allowed values (a;b;c)`);
  else if (twice !== undefined)
    diagnostics.error(marker.loc, `${name} lists ${key(twice)} twice: list each allowed value once`);
  else if (foreign && foreign.length > 0)
    diagnostics.error(
      marker.loc,
      `${name} allows ${foreign.map(key).join(', ')}, which the type of ${subject} does not (${allowed!.map(key).join(', ')}): change the type's union or remove the marker`,
    );
  else schema.enum = values;
}

function checkRule({
  rule,
  message,
  messageExpression,
  reason,
  fieldPath,
  optionalOldSelf,
}: ValidationRule): string | undefined {
  const lineBreak = /[\n\r]/;
  if (rule.trim() === '') return 'has an empty rule: write a CEL expression';
  if (message !== undefined && message.trim() === '') return 'has an empty message: write one or leave message out';
  if (message !== undefined && lineBreak.test(message.trim()))
    return 'has a message with a line break: keep it on one line';
  if (lineBreak.test(rule.trim()) && !message?.trim()) return 'spans several lines without a message: add message=';
  if (messageExpression !== undefined && messageExpression.trim() === '')
    return 'has an empty messageExpression: write one or leave it out';
  if (reason !== undefined && !RULE_REASONS.includes(reason))
    return `has reason=${show(reason)}: use one of ${RULE_REASONS.join(', ')}`;
  if (fieldPath !== undefined && (fieldPath.trim() === '' || lineBreak.test(fieldPath)))
    return 'has an empty or multi-line fieldPath: write a path such as .spec.replicas';
  if (optionalOldSelf !== undefined && !rule.includes('oldSelf'))
    return 'sets optionalOldSelf but its rule does not use oldSelf: remove optionalOldSelf';
  return undefined;
}

/** controller-gen's rules, character for character: a constant-cost sum, or `||` for at-least-one. */
function oneOf(schemaOrder: number, rule: (fields: string[], sum: string, list: string) => ValidationRule): MarkerSpec {
  return {
    targets: ['type'],
    value: 'stringList',
    schemaOrder,
    repeatable: true,
    applyToSchema(schema, marker, { subject, diagnostics }) {
      const fields = marker.value as string[];
      const properties = schema.properties ?? {};
      const unknown = fields.filter((f) => !Object.hasOwn(properties, f));
      const unreachable = fields.filter((f) => Object.hasOwn(properties, f) && celField(f) === undefined);
      const unseen = fields.filter((f) => Object.hasOwn(properties, f) && !celVisible(properties[f]));
      if (unknown.length > 0)
        diagnostics.error(
          marker.loc,
          `+${marker.definition.name} names unknown field(s) ${unknown.map(show).join(', ')} of ${subject}`,
        );
      else if (unreachable.length > 0)
        diagnostics.error(
          marker.loc,
          `+${marker.definition.name} names field(s) ${unreachable.map(show).join(', ')} that CEL rules cannot reach: rename them or write the rule with +kubebuilder:validation:XValidation`,
        );
      else if (unseen.length > 0)
        for (const f of unseen)
          diagnostics.error(marker.loc, `+${marker.definition.name} names ${show(f)}, ${CEL_INVISIBLE_HINT}`);
      else {
        const cel = fields.map((f) => celField(f) as string);
        const sum = cel.map((f) => `(has(self.${f})?1:0)`).join('+');
        addRule(schema, rule(cel, sum, `[${fields.join(' ')}]`));
      }
    },
  };
}

const minimum = bound('number', 'minimum', 'numeric');
const maximum = bound('number', 'maximum', 'numeric');
const maxItems = bound('int', 'maxItems', 'array');
/** Kubernetes' declarative validation spelling (`+k8s:maxItems=16`): on fields only, as controller-gen reads it. */
const declarative = (spec: MarkerSpec): MarkerSpec => ({ ...spec, targets: ['field'], hasItemsVariant: false });
export const preserveUnknownFields: MarkerSpec = {
  targets: FIELD_OR_TYPE,
  applyToSchema(schema) {
    schema['x-kubernetes-preserve-unknown-fields'] = true;
  },
};
const embeddedResource: MarkerSpec = {
  targets: FIELD_OR_TYPE,
  hasItemsVariant: true,
  needs: 'object',
  applyToSchema(schema) {
    schema['x-kubernetes-embedded-resource'] = true;
  },
};

export const VALIDATION_MARKERS = {
  'kubebuilder:validation:Minimum': minimum,
  'kubebuilder:validation:Maximum': maximum,
  'kubebuilder:validation:ExclusiveMinimum': bound('bool', 'exclusiveMinimum', 'numeric'),
  'kubebuilder:validation:ExclusiveMaximum': bound('bool', 'exclusiveMaximum', 'numeric'),
  'kubebuilder:validation:MultipleOf': keyword('number', 'multipleOf', 'numeric', (n: number) =>
    n > 0 ? undefined : 'is not positive: the apiserver rejects every value against a multipleOf of 0 or less',
  ),
  'kubebuilder:validation:MinLength': bound('int', 'minLength', 'string'),
  'kubebuilder:validation:MaxLength': bound('int', 'maxLength', 'string'),
  'kubebuilder:validation:Pattern': keyword('string', 'pattern', 'string', checkPattern),
  'kubebuilder:validation:MinItems': bound('int', 'minItems', 'array'),
  'kubebuilder:validation:MaxItems': maxItems,
  'kubebuilder:validation:UniqueItems': {
    targets: FIELD_OR_TYPE,
    value: 'bool',
    hasItemsVariant: true,
    needs: 'array',
    // controller-gen omits false booleans; so do we.
    applyToSchema(_schema, marker, { diagnostics }) {
      if (marker.value === true)
        diagnostics.error(
          marker.loc,
          `+${marker.definition.name}=true is rejected by the apiserver (quadratic validation cost); use +listType=set for unique items`,
        );
    },
  },
  'kubebuilder:validation:MinProperties': bound('int', 'minProperties', 'object'),
  'kubebuilder:validation:MaxProperties': bound('int', 'maxProperties', 'object'),
  'kubebuilder:validation:Enum': {
    targets: FIELD_OR_TYPE,
    value: 'anyList',
    hasItemsVariant: true,
    applyToSchema: applyEnum,
  },
  'kubebuilder:validation:Format': keyword('string', 'format'),
  'kubebuilder:validation:Type': {
    targets: FIELD_OR_TYPE,
    value: 'string',
    hasItemsVariant: true,
    schemaOrder: 1,
    applyToSchema(schema, marker, { diagnostics }) {
      if (!SCHEMA_TYPES.includes(marker.value as string)) {
        diagnostics.error(
          marker.loc,
          `+${marker.definition.name}=${show(marker.value)} is not a schema type: use one of ${SCHEMA_TYPES.join(', ')}`,
        );
        return;
      }
      schema.type = marker.value as string;
      delete schema['x-kubernetes-int-or-string'];
      delete schema.anyOf;
    },
  },
  'kubebuilder:validation:XIntOrString': {
    targets: FIELD_OR_TYPE,
    hasItemsVariant: true,
    schemaOrder: 1,
    applyToSchema(schema) {
      delete schema.type;
      Object.assign(schema, structuredClone(INT_OR_STRING));
    },
  },
  'kubebuilder:validation:EmbeddedResource': embeddedResource,
  'kubebuilder:validation:XEmbeddedResource': embeddedResource,
  /** controller-gen's older spelling of `+kubebuilder:pruning:PreserveUnknownFields`. */
  'kubebuilder:validation:XPreserveUnknownFields': { ...preserveUnknownFields, hasItemsVariant: true },
  'k8s:minimum': declarative(minimum),
  'k8s:maximum': declarative(maximum),
  'k8s:maxItems': declarative(maxItems),
  'kubebuilder:validation:Schemaless': {
    targets: FIELD_OR_TYPE,
    hasItemsVariant: true,
    schemaOrder: 0,
    applyToSchema(schema) {
      for (const key of Object.keys(schema) as (keyof JSONSchemaProps)[]) if (key !== 'description') delete schema[key];
    },
  },
  'kubebuilder:validation:XValidation': {
    targets: FIELD_OR_TYPE,
    hasItemsVariant: true,
    fields: {
      rule: ['string', true],
      message: ['string'],
      messageExpression: ['string'],
      reason: ['string'],
      fieldPath: ['string'],
      optionalOldSelf: ['bool'],
    },
    schemaOrder: 3,
    repeatable: true,
    applyToSchema(schema, marker, { diagnostics }) {
      const problem = checkRule(marker.fields as unknown as ValidationRule);
      if (problem) diagnostics.error(marker.loc, `+${marker.definition.name} ${problem}`);
      else addRule(schema, marker.fields as unknown as ValidationRule);
    },
  },
  'kubebuilder:validation:ExactlyOneOf': oneOf(5, (_fields, sum, list) => ({
    rule: `${sum} == 1`,
    message: `exactly one of the fields in ${list} must be set`,
  })),
  'kubebuilder:validation:AtMostOneOf': oneOf(4, (_fields, sum, list) => ({
    rule: `${sum} <= 1`,
    message: `at most one of the fields in ${list} may be set`,
  })),
  'kubebuilder:validation:AtLeastOneOf': oneOf(6, (fields, _sum, list) => ({
    rule: fields.map((f) => `has(self.${f})`).join('||'),
    message: `at least one of the fields in ${list} must be set`,
  })),
} satisfies Record<string, MarkerSpec>;
