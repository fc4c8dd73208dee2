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
  /** Folder of the API types, relative to the project root (`api/v1`). */
  path: string;
  /** Present only after `create webhook`. */
  webhooks?: ProjectWebhooks;
  extra?: UnknownKeys;
}

export interface Project {
  layout: string;
  domain: string;
  projectName: string;
  /** true: the operator watches one namespace and gets a Role instead of a ClusterRole. */
  namespaced: boolean;
  resources: ProjectResource[];
  extra?: UnknownKeys;
}

/** The API group of a resource: `<group>.<domain>` (`webapp.example.com`). */
export function apiGroupOf(resource: Pick<ProjectResource, 'group' | 'domain'>): string {
  return resource.domain ? `${resource.group}.${resource.domain}` : resource.group;
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
