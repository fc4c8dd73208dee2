/**
 * Scaffolds: which files each command writes, and with what. Each scaffold stages its files on a
 * Tree (src/machinery) from templates under templates/<command>/ and records what it created in
 * the PROJECT model (src/project); the CLI validates flags first and commits the Tree last.
 */
export { scaffoldApi, insertResourceEntries, type ApiOptions, type ScaffoldResult } from './api.js';
export { CHART_DIR, scaffoldHelmChart, type HelmOptions } from './helm/index.js';
export { editLayout } from './edit-layout.js';
export * as lifecycle from './lifecycle/index.js';
export {
  checkDeployImageFlags,
  GRAFANA_DIR,
  scaffoldDeployImageApi,
  scaffoldGrafana,
  type DeployImageOptions,
} from './plugins/index.js';
export { scaffoldInit, type InitOptions, type License } from './init.js';
export { insertOrNote } from './insert-or-note.js';
export { scaffoldWebhook, type WebhookOptions } from './webhook.js';
export {
  BOILERPLATE_FILE,
  projectContext,
  resourceContext,
  type ProjectContext,
  type ResourceContext,
} from './context.js';
