/**
 * The values templates see. Everything a template prints is computed here, once, so templates
 * stay free of logic and strict mode catches any name they get wrong.
 */
import { apiGroupOf, camelOf, fileBaseOf, isForeign, type Project, type ProjectResource } from '../project/index.js';
import { layoutOf, relativeModule, type ResourceLayout } from './layout.js';

/** Where scaffolded TS files take their license header from (written by `init --license apache2`). */
export const BOILERPLATE_FILE = 'hack/boilerplate.ts.txt';

export interface ProjectContext extends Record<string, unknown> {
  projectName: string;
  domain: string;
  namespaced: boolean;
  /** APIs, controllers and webhooks in group folders (`kubeforge edit --multigroup`). */
  multigroup: boolean;
  /** The namespace `config/default` deploys into. */
  namespace: string;
  /** Lease name for leader election: a stable hash of the project plus the domain. */
  leaderElectionId: string;
  /** 'ClusterRole', or 'Role' for a namespaced project. */
  roleKind: string;
  /** License header (and a blank line) for scaffolded TS files; '' without a license. */
  boilerplate: string;
}

export interface ResourceContext extends ProjectContext, ResourceLayout {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** `webapp.example.com` */
  apiGroup: string;
  /** `guestbook`: base of file names. */
  fileBase: string;
  /** `guestbook`: variable name for one object. */
  camel: string;
  resourceNamespaced: boolean;
  /** The group in +kubebuilder:rbac markers: `core` for the core group, as controller-gen reads it. */
  rbacGroup: string;
  /** The group in +kubebuilder:webhook markers: `""` for the core group. */
  webhookGroup: string;
  /** Whether the kind is defined elsewhere (built-in or external): no types, CRD or sample here. */
  foreign: boolean;
  /** An external kind (`--external-api-path`). */
  external: boolean;
  /** Import specifiers of the kind's types file from the controller and from the webhook folder ('' for foreign kinds). */
  typesFromController: string;
  typesFromWebhook: string;
}

export function projectContext(project: Project, boilerplateText: string | undefined): ProjectContext {
  return {
    projectName: project.projectName,
    domain: project.domain,
    namespaced: project.namespaced,
    multigroup: project.multigroup === true,
    namespace: `${project.projectName}-system`,
    leaderElectionId: `${fnv32a(`${project.projectName}.${project.domain}`)}.${project.domain}`,
    roleKind: project.namespaced ? 'Role' : 'ClusterRole',
    boilerplate: boilerplateText ? `${boilerplateText.trimEnd()}\n\n` : '',
  };
}

export function resourceContext(base: ProjectContext, resource: ProjectResource): ResourceContext {
  const layout = layoutOf(base.multigroup, resource);
  const apiGroup = apiGroupOf(resource);
  const foreign = isForeign(resource);
  const typesFile = `${layout.apiDir}/${fileBaseOf(resource.kind)}.types.ts`;
  return {
    ...base,
    ...layout,
    group: resource.group,
    version: resource.version,
    kind: resource.kind,
    plural: resource.plural,
    apiGroup,
    fileBase: fileBaseOf(resource.kind),
    camel: camelOf(resource.kind),
    resourceNamespaced: resource.namespaced,
    rbacGroup: apiGroup || 'core',
    webhookGroup: apiGroup || '""',
    foreign,
    external: resource.external === true,
    typesFromController: foreign ? '' : relativeModule(layout.controllerDir, typesFile),
    typesFromWebhook: foreign ? '' : relativeModule(layout.webhookDir, typesFile),
  };
}

/** 32-bit FNV-1a as 8 hex digits (kubebuilder derives its leader-election ID the same way). */
function fnv32a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
