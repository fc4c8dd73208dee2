/**
 * Schema: type expressions → apiextensions `JSONSchemaProps` (the IR), with markers applied,
 * core types expanded, discriminated unions turned into CEL, and structural checks per field.
 */
export { QUANTITY_PATTERN, type JSONSchemaProps, type ValidationRule } from '../json-schema.js';
export { SchemaBuilder } from './build-schema.js';
export { loadCoreSchemas, type CoreSchemas } from './core-types.js';
