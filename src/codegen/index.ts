/**
 * Code generation, the direction controller-gen goes and back: TypeScript API types with
 * kubebuilder markers → CRD, RBAC and webhook YAML (`kubeforge manifests`), and foreign schemas →
 * TypeScript models (`kubeforge import`). Each pass is a small module: `source/` (parse),
 * `markers/` (lint), `schema/` (IR + structural checks), `crd.ts`/`rbac.ts`/`webhooks.ts`
 * (objects), `yaml-output.ts` (text), `import/` (schema → TS).
 */
export { generateManifests, type ManifestsOptions, type ManifestsResult } from './manifests.js';
export { resolveKubernetesMinor } from './kubernetes-minor.js';
export { sampleLine } from './check/index.js';
export type { CustomResourceDefinition } from './crd.js';
export type { JSONSchemaProps } from './schema/index.js';
export { importSchemas, type ImportedModule } from './import/index.js';
