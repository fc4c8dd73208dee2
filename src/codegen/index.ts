/**
 * Code generation, the direction controller-gen goes and back: TypeScript API types with
 * kubebuilder markers → CRD, RBAC and webhook YAML (`kubeforge manifests`), and foreign schemas →
 * TypeScript models (`kubeforge import`). Each pass is a small module: `source/` (parse),
 * `markers/` (lint), `schema/` (IR + structural checks), `crd.ts`/`rbac.ts`/`webhooks.ts`
 * (objects), `yaml-output.ts` (text), `import/` (schema → TS).
 */
import type { ImportedModule } from './import/index.js';

export { generateManifests, type ManifestsOptions, type ManifestsResult } from './manifests.js';
export { resolveKubernetesMinor } from './kubernetes-minor.js';
export { sampleLine } from './check/index.js';
export type { CustomResourceDefinition } from './crd.js';
export type { JSONSchemaProps } from './schema/index.js';
export type { ImportedModule } from './import/index.js';

/**
 * Reads CRDs / JSON schemas under `inputPath` and returns the TypeScript modules to write
 * (`kubeforge import`). Its modules load on first use, so `manifests` does not load them.
 */
export async function importSchemas(inputPath: string): Promise<ImportedModule[]> {
  const { importSchemas: importFrom } = await import('./import/index.js');
  return importFrom(inputPath);
}
