/**
 * Which schema nodes the apiserver's CEL can see, as its `SchemaDeclType` decides: a node without
 * `type` (preserve-unknown-fields alone, a Schemaless field) has no CEL type unless it is
 * int-or-string (`dyn`) or an embedded resource (an object), and an array or map whose items or
 * values have none has none either. A rule naming such a field does not compile (`has(self.a)`:
 * "undefined field 'a'"), and a rule on such a node is refused ("failed to convert to declType").
 */
import type { JSONSchemaProps } from '../json-schema.js';

export function celVisible(schema: JSONSchemaProps): boolean {
  if (schema['x-kubernetes-int-or-string'] || schema['x-kubernetes-embedded-resource']) return true;
  switch (schema.type) {
    case undefined:
      return false;
    case 'array':
      return schema.items !== undefined && celVisible(schema.items);
    case 'object':
      return typeof schema.additionalProperties !== 'object' || celVisible(schema.additionalProperties);
    default:
      return true;
  }
}

/** Completes "… is " in messages about a field CEL cannot see: why, and what to give it instead. */
export const CEL_INVISIBLE_HINT =
  "free-form JSON without a schema type, invisible to the apiserver's CEL: declare a type (an object that keeps unknown fields: RawExtension from kubeforge/api, or +kubebuilder:validation:Type=object with +kubebuilder:pruning:PreserveUnknownFields)";
