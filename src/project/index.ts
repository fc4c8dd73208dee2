/**
 * The project model: the PROJECT file every command after `init` reads (layout, domain, project
 * name, scope and every resource created so far) and the naming rules that decide what a valid
 * domain, group, version, kind and plural are. Commands validate their flags here before anything
 * is written, and record what they created here so the next command can re-derive it.
 */
export { PROJECT_FILE, PROJECT_LAYOUT, apiGroupOf, findResource, isForeign } from './types.js';
export { coreGroupDomain, coreGroupNames } from './core-groups.js';
export type { Project, ProjectResource, ProjectWebhooks, UnknownKeys } from './types.js';
export { parseProject, readProject, serializeProject } from './project-file.js';
export { KUBEFORGE_VERSION, projectUpgradeNotes } from './cli-version.js';
export {
  PLUGIN_KEYS,
  pluginSettings,
  withPluginSettings,
  type DeployImageResource,
  type KnownPluginKey,
  type KnownPluginSettings,
} from './plugins.js';
export {
  camelOf,
  checkDnsLabel,
  checkDnsSubdomain,
  checkDomain,
  checkGroup,
  checkKind,
  checkPlural,
  checkProjectName,
  checkVersion,
  fileBaseOf,
  pluralOf,
  sharedResourceName,
  singularOf,
  type ResourceNames,
} from './naming.js';
