/**
 * Schema: type expressions → apiextensions `JSONSchemaProps` (the IR), with markers applied,
 * core types expanded, discriminated unions turned into CEL, and structural checks per field.
 */
export { SchemaBuilder, type ResolvedDecl } from './build-schema.js';
export { loadCoreSchemas, type CoreSchemas } from './core-types.js';
export type { JSONSchemaProps, ValidationRule } from './json-schema.js';
export { validateValue } from './structural.js';
