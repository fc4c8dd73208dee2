/**
 * Core schemas: the structural schemas of Kubernetes' own types (v1.37.2 OpenAPI), keyed by their
 * `@kubernetes/client-node` model names, as a generated data module (`scripts/core-schemas/generate.ts` rebuilds it).
 * Imported lazily: only a run that generates a kind pays for parsing it.
 */
export { CORE_SCHEMAS_JSON, CORE_SCHEMAS_KUBERNETES_VERSION } from './core-schemas.generated.js';
