/**
 * Core schemas: the structural schemas of Kubernetes' own types, keyed by their
 * `@kubernetes/client-node` model names, one set per shipped Kubernetes minor (the newest three,
 * envtest's versions), as a generated data module (`scripts/core-schemas/generate.ts` rebuilds it).
 * Imported lazily: only a run that generates a kind pays for parsing it.
 */
export {
  coreSchemaDefinitions,
  kubernetesMinorOf,
  kubernetesVersionOf,
  DEFAULT_KUBERNETES_MINOR,
  SHIPPED_KUBERNETES_MINORS,
  type StoredDefinition,
} from './minors.js';
