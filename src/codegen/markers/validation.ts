/**
 * `+kubebuilder:validation:<Name>` markers on fields and types: OpenAPI keywords, int-or-string,
 * schemaless and embedded resources, and CEL rules (`XValidation`, and controller-gen's
 * `ExactlyOneOf` / `AtMostOneOf` / `AtLeastOneOf`). All but the one-of rules also exist as
 * `kubebuilder:validation:items:<Name>`, for the elements of an array.
 */
import { addRule, INT_OR_STRING, type JSONSchemaProps, type ValidationRule } from '../json-schema.js';
import type { MarkerSpec, SchemaKind, ValueType } from './definition.js';

const FIELD_OR_TYPE = ['field', 'type'] as const;

/** A marker that sets one schema keyword to its value. */
function keyword(value: ValueType, key: keyof JSONSchemaProps, needs?: SchemaKind): MarkerSpec {
  return {
    targets: FIELD_OR_TYPE,
    value,
    hasItemsVariant: true,
    needs,
    applyToSchema(schema, marker) {
      schema[key] = marker.value as never;
    },
  };
}

/** controller-gen's rules, character for character: a constant-cost sum, or `||` for at-least-one. */
function oneOf(schemaOrder: number, rule: (fields: string[], sum: string, list: string) => ValidationRule): MarkerSpec {
  return {
    targets: ['type'],
    value: 'stringList',
    schemaOrder,
    applyToSchema(schema, marker, { subject, diagnostics }) {
      const fields = marker.value as string[];
      const unknown = fields.filter((f) => !schema.properties?.[f]);
      if (unknown.length > 0)
        diagnostics.error(
          marker.loc,
          `+${marker.definition.name} names unknown field(s) ${unknown.join(', ')} of ${subject}`,
        );
      else {
        const sum = fields.map((f) => `(has(self.${f})?1:0)`).join('+');
        addRule(schema, rule(fields, sum, `[${fields.join(' ')}]`));
      }
    },
  };
}

export const VALIDATION_MARKERS = {
  'kubebuilder:validation:Minimum': keyword('number', 'minimum', 'numeric'),
  'kubebuilder:validation:Maximum': keyword('number', 'maximum', 'numeric'),
  'kubebuilder:validation:ExclusiveMinimum': keyword('bool', 'exclusiveMinimum', 'numeric'),
  'kubebuilder:validation:ExclusiveMaximum': keyword('bool', 'exclusiveMaximum', 'numeric'),
  'kubebuilder:validation:MultipleOf': keyword('number', 'multipleOf', 'numeric'),
  'kubebuilder:validation:MinLength': keyword('int', 'minLength', 'string'),
  'kubebuilder:validation:MaxLength': keyword('int', 'maxLength', 'string'),
  'kubebuilder:validation:Pattern': keyword('string', 'pattern', 'string'),
  'kubebuilder:validation:MinItems': keyword('int', 'minItems', 'array'),
  'kubebuilder:validation:MaxItems': keyword('int', 'maxItems', 'array'),
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
  'kubebuilder:validation:MinProperties': keyword('int', 'minProperties', 'object'),
  'kubebuilder:validation:MaxProperties': keyword('int', 'maxProperties', 'object'),
  'kubebuilder:validation:Enum': keyword('anyList', 'enum'),
  'kubebuilder:validation:Format': keyword('string', 'format'),
  'kubebuilder:validation:Type': {
    targets: FIELD_OR_TYPE,
    value: 'string',
    hasItemsVariant: true,
    schemaOrder: 1,
    applyToSchema(schema, marker) {
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
  'kubebuilder:validation:EmbeddedResource': {
    targets: FIELD_OR_TYPE,
    hasItemsVariant: true,
    needs: 'object',
    applyToSchema(schema) {
      schema['x-kubernetes-embedded-resource'] = true;
    },
  },
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
    applyToSchema(schema, marker) {
      addRule(schema, marker.fields as { rule: string });
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
