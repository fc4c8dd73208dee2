/**
 * kubeforge: kubebuilder for TypeScript. This entry point is the programmatic side of the CLI —
 * run commands in-process, read a project's PROJECT file, stage files on a Tree. Operators import
 * `kubeforge/runtime`; their tests `kubeforge/envtest` and `kubeforge/testing`.
 */
export { buildProgram, main, terminalIO, type CliIO, type Prompts } from './cli/index.js';
export { EnvtestError, ManifestError, NoProjectError, UserError, type SourceProblem } from './errors.js';
export {
  apiGroupOf,
  findResource,
  parseProject,
  readProject,
  serializeProject,
  type Project,
  type ProjectResource,
  type ProjectWebhooks,
} from './project/index.js';
export { DiskStore, MemoryStore, Tree, type FileChange, type FileStore } from './machinery/index.js';
export {
  generateManifests,
  importSchemas,
  type CustomResourceDefinition,
  type ImportedModule,
  type JSONSchemaProps,
  type ManifestsOptions,
  type ManifestsResult,
} from './codegen/index.js';
