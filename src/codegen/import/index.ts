/**
 * Import: the opposite direction of `manifests`. Foreign CRDs and JSON schemas → TypeScript
 * models (one module per group/version), so operators can read and write other projects' kinds
 * with types. Kubernetes' extensions (int-or-string, preserve-unknown-fields, embedded resources)
 * map to `kubeforge/api` scalars and index signatures; validations come back as markers.
 */
import { readSchemaSources } from './read-schemas.js';
import { toTypeScript, type ImportedModule } from './to-typescript.js';

export type { ImportedModule } from './to-typescript.js';

/** Reads CRDs / JSON schemas under `inputPath` and returns the TypeScript modules to write. */
export async function importSchemas(inputPath: string): Promise<ImportedModule[]> {
  return toTypeScript(await readSchemaSources(inputPath));
}
