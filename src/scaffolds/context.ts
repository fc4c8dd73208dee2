/**
 * The values templates see. Everything a template prints is computed here, once, so templates
 * stay free of logic and strict mode catches any name they get wrong.
 */
import { apiGroupOf, camelOf, fileBaseOf, type Project, type ProjectResource } from '../project/index.js';

/** Where scaffolded TS files take their license header from (written by `init --license apache2`). */
export const BOILERPLATE_FILE = 'hack/boilerplate.ts.txt';

export interface ProjectContext extends Record<string, unknown> {
  projectName: string;
  domain: string;
  namespaced: boolean;
  /** The namespace `config/default` deploys into. */
  namespace: string;
  /** Lease name for leader election: a stable hash of the project plus the domain. */
  leaderElectionId: string;
  /** 'ClusterRole', or 'Role' for a namespaced project. */
  roleKind: string;
  /** License header (and a blank line) for scaffolded TS files; '' without a license. */
  boilerplate: string;
}

export interface ResourceContext extends ProjectContext {
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
}

export function projectContext(project: Project, boilerplateText: string | undefined): ProjectContext {
  return {
    projectName: project.projectName,
    domain: project.domain,
    namespaced: project.namespaced,
    namespace: `${project.projectName}-system`,
    leaderElectionId: `${fnv32a(`${project.projectName}.${project.domain}`)}.${project.domain}`,
    roleKind: project.namespaced ? 'Role' : 'ClusterRole',
    boilerplate: boilerplateText ? `${boilerplateText.trimEnd()}\n\n` : '',
  };
}

export function resourceContext(base: ProjectContext, resource: ProjectResource): ResourceContext {
  return {
    ...base,
    group: resource.group,
    version: resource.version,
    kind: resource.kind,
    plural: resource.plural,
    apiGroup: apiGroupOf(resource),
    fileBase: fileBaseOf(resource.kind),
    camel: camelOf(resource.kind),
    resourceNamespaced: resource.namespaced,
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
