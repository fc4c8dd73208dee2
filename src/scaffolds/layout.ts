/**
 * Where a resource's files go. A single-group project (kubebuilder's default) keeps types in
 * `api/<version>`, controllers in `src/controllers` and webhooks in `src/webhooks/<version>`; a
 * multigroup one (`kubeforge edit --multigroup`) puts a group folder in each, so one kind name can
 * live in two groups: `api/<group>/<version>`, `src/controllers/<group>`, `src/webhooks/<group>/<version>`,
 * role files and setup functions named with the group too. An API keeps the layout its PROJECT
 * `path` records, so switching the project to multigroup leaves existing APIs working where they are.
 */
import { posix } from 'node:path';
import { fileBaseOf, isForeign, type ProjectResource } from '../project/index.js';

export interface ResourceLayout {
  /** `api/v1` or `api/webapp/v1`: the folder of the kind's types (own kinds only). */
  apiDir: string;
  /** `src/controllers` or `src/controllers/webapp`. */
  controllerDir: string;
  /** `src/webhooks/v1` or `src/webhooks/webapp/v1`. */
  webhookDir: string;
  /** `guestbook` or `webapp_guestbook`: base of the admin/editor/viewer role files. */
  roleBase: string;
  /** `guestbook` or `webapp-guestbook`: prefix of the role names. */
  roleName: string;
  /** `` or `Webapp`: between `setup` and the kind in setup function names. */
  setupPrefix: string;
  /** `guestbooks` or `webapp_guestbooks`: base of the CRD's conversion patch in config/default. */
  conversionPatchBase: string;
}

/** The API folder a new own API gets in this project. */
export function apiPathFor(multigroup: boolean, group: string, version: string): string {
  return multigroup ? `api/${group}/${version}` : `api/${version}`;
}

/** Whether the resource's files are laid out by group. */
function byGroup(projectMultigroup: boolean, resource: ProjectResource): boolean {
  if (isForeign(resource)) return projectMultigroup;
  return resource.path.split('/').length === 3;
}

export function layoutOf(projectMultigroup: boolean, resource: ProjectResource): ResourceLayout {
  const fileBase = fileBaseOf(resource.kind);
  if (!byGroup(projectMultigroup, resource)) {
    return {
      apiDir: resource.path,
      controllerDir: 'src/controllers',
      webhookDir: `src/webhooks/${resource.version}`,
      roleBase: fileBase,
      roleName: fileBase,
      setupPrefix: '',
      conversionPatchBase: resource.plural,
    };
  }
  const { group } = resource;
  return {
    apiDir: resource.path,
    controllerDir: `src/controllers/${group}`,
    webhookDir: `src/webhooks/${group}/${resource.version}`,
    roleBase: `${group}_${fileBase}`,
    roleName: `${group}-${fileBase}`,
    setupPrefix: pascalOfGroup(resource.group),
    conversionPatchBase: `${group}_${resource.plural}`,
  };
}

/** `cert-manager` → `CertManager`, `rbac.authorization` → `RbacAuthorization`. */
export function pascalOfGroup(group: string): string {
  return group
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The ESM specifier that imports project file `target` (a `.ts` path) from a file in `fromDir`. */
export function relativeModule(fromDir: string, target: string): string {
  const path = posix.relative(fromDir, target).replace(/\.ts$/, '.js');
  return path.startsWith('.') ? path : `./${path}`;
}
