/**
 * The PROJECT file's model: what `init` records about the project and what every `create`
 * records about each resource, so any command can re-derive what exists.
 */

/** The only layout this version of kubeforge writes and reads. */
export const PROJECT_LAYOUT = 'kubeforge.io/v1';

/** The file name at the project root. */
export const PROJECT_FILE = 'PROJECT';

/**
 * Keys of a PROJECT mapping this kubeforge does not know (another tool's or a newer kubeforge's,
 * like kubebuilder's plugin config), kept as read and written back after the known ones.
 */
export type UnknownKeys = Record<string, unknown>;

export interface ProjectWebhooks {
  defaulting: boolean;
  validation: boolean;
  conversion: boolean;
  /** Versions converted through this (hub) version. */
  spokes: string[];
  extra?: UnknownKeys;
}

export interface ProjectResource {
  /** First part of the API group: `webapp` in `webapp.example.com`. */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural resource name (`guestbooks`). */
  plural: string;
  domain: string;
  namespaced: boolean;
  /** Whether this version's kind has a scaffolded controller. */
  controller: boolean;
  /**
   * Where the kind's types come from: the folder of the API types relative to the project root
   * (`api/v1`, or `api/<group>/<version>` in a multigroup project); for a built-in kind
   * (`core`) the module that exports it (`kubeforge/runtime`); for an external kind the module or
   * project file given to `--external-api-path`.
   */
  path: string;
  /** A built-in Kubernetes kind (apps/v1 Deployment): no types, CRD or sample here (kubebuilder's `core: true`). */
  core?: boolean;
  /** A kind another project defines (`--external-api-path`): no types, CRD or sample here (kubebuilder's `external: true`). */
  external?: boolean;
  /** Present only after `create webhook`. */
  webhooks?: ProjectWebhooks;
  extra?: UnknownKeys;
}

export interface Project {
  layout: string;
  /**
   * The kubeforge version whose scaffold the project's files are (kubebuilder's `cliVersion`);
   * undefined when read from a PROJECT written before kubeforge recorded it.
   */
  cliVersion?: string;
  domain: string;
  projectName: string;
  /** true: the operator watches one namespace and gets a Role instead of a ClusterRole. */
  namespaced: boolean;
  /** APIs under `api/<group>/<version>`, controllers under `src/controllers/<group>/` (`kubeforge edit --multigroup`). */
  multigroup?: boolean;
  /**
   * Plugins run on the project, each key (`helm.kubeforge.io/v1-alpha`) with its settings
   * (kubebuilder's `plugins:`); read them through `pluginSettings` (plugins.ts).
   */
  plugins?: Record<string, unknown>;
  resources: ProjectResource[];
  extra?: UnknownKeys;
}

/**
 * The API group of a resource: `<group>.<domain>` (`webapp.example.com`); without a domain (a
 * built-in kind) the group itself (`apps`), and `''` for Kubernetes' core group (`core`).
 */
export function apiGroupOf(resource: Pick<ProjectResource, 'group' | 'domain'>): string {
  if (resource.domain) return `${resource.group}.${resource.domain}`;
  return resource.group === 'core' ? '' : resource.group;
}

/** Whether the kind's types are defined outside this project (a built-in or an external kind). */
export function isForeign(resource: Pick<ProjectResource, 'core' | 'external'>): boolean {
  return resource.core === true || resource.external === true;
}

/** Finds a resource by group, version and kind. */
export function findResource(
  project: Project,
  gvk: Pick<ProjectResource, 'group' | 'version' | 'kind'>,
): ProjectResource | undefined {
  return project.resources.find(
    (resource) => resource.group === gvk.group && resource.version === gvk.version && resource.kind === gvk.kind,
  );
}
