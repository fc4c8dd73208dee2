/**
 * `create api`: the files of one API version of a kind (types, sample, admin/editor/viewer roles)
 * and of its controller (reconciler, its test, registration in src/main.ts), the kustomization
 * entries that reference them, and the resource's entry in PROJECT.
 */
import { UserError } from '../errors.js';
import { outputPathOf, templateRenderer, type TemplateRenderer, type Tree } from '../machinery/index.js';
import {
  apiGroupOf,
  coreGroupNames,
  findResource,
  isForeign,
  PROJECT_FILE,
  pluralOf,
  serializeProject,
  sharedResourceName,
  singularOf,
  type Project,
  type ProjectResource,
} from '../project/index.js';
import { checkExternalFlags, foreignKindNames, planCoreResource, planExternalResource } from './foreign-kind.js';
import { insertOrNote, registerSetup } from './insert-or-note.js';
import { apiPathFor, relativeModule } from './layout.js';
import { BOILERPLATE_FILE, projectContext, resourceContext, type ResourceContext } from './context.js';

const RESOURCE_TEMPLATES = [
  'api/{apiDir}/{fileBase}.types.ts',
  'api/config/samples/{group}_{version}_{fileBase}.yaml',
  'api/config/rbac/{roleBase}_admin_role.yaml',
  'api/config/rbac/{roleBase}_editor_role.yaml',
  'api/config/rbac/{roleBase}_viewer_role.yaml',
];

const CONTROLLER_TEMPLATES = [
  'api/{controllerDir}/{fileBase}.controller.ts',
  'api/{controllerDir}/{fileBase}.controller.test.ts',
];

/** The controller of a kind defined elsewhere (built-in or external), and its test. */
const FOREIGN_CONTROLLER_TEMPLATES = [
  'foreign-api/{controllerDir}/{fileBase}.controller.ts',
  'foreign-api/{controllerDir}/{fileBase}.controller.test.ts',
];

/** An external kind's controller gets no test: one that creates the kind needs its CRD installed. */
const controllerTemplates = (resource: ProjectResource) => {
  if (resource.external) return FOREIGN_CONTROLLER_TEMPLATES.slice(0, 1);
  return resource.core ? FOREIGN_CONTROLLER_TEMPLATES : CONTROLLER_TEMPLATES;
};

export interface ApiOptions {
  group: string;
  version: string;
  kind: string;
  /** `--plural`; undefined: another version's, or the English plural of the kind. */
  plural: string | undefined;
  /** `--namespaced`; undefined: another version's, or namespaced. */
  namespaced: boolean | undefined;
  /** `--external-api-path`: the module (project file or npm package) of a kind defined elsewhere. */
  externalApiPath?: string;
  /** `--external-api-domain`: completes `--group` to the external kind's API group. */
  externalApiDomain?: string;
  /** Scaffold the API types (default true). */
  resource: boolean;
  /** Scaffold a controller; undefined means "yes, unless another version of the kind has one". */
  controller: boolean | undefined;
  force: boolean;
}

export interface ScaffoldResult {
  project: Project;
  /** Things the user should know or do next (missing markers, storage versions). */
  notes: string[];
}

/** Stages everything `create api` writes; throws a `UserError` (nothing staged) when the request conflicts. */
export async function scaffoldApi(
  tree: Tree,
  project: Project,
  options: ApiOptions,
  renderer: TemplateRenderer = templateRenderer(),
): Promise<ScaffoldResult> {
  const resource = planResource(tree, project, options);
  const base = resourceContext(projectContext(project, tree.read(BOILERPLATE_FILE)), resource);
  const context = isForeign(resource) ? { ...base, ...foreignKindNames(resource, base.controllerDir) } : base;
  const notes: string[] = [];
  const existing = findResource(project, resource);
  if (options.resource) {
    for (const template of RESOURCE_TEMPLATES) {
      tree.scaffold(outputPathOf(template, context), await renderer.render(template, context), options);
    }
  }
  if (resource.controller) {
    for (const template of controllerTemplates(resource)) {
      tree.scaffold(outputPathOf(template, context), await renderer.render(template, context), options);
    }
  }
  if (resource.external && resource.controller) {
    notes.push(
      `put the ${resource.kind} CRD in config/crd/external/ (npm run test:e2e installs it there: the operator waits for its kind to be served); no test for ${resource.kind}Reconciler was written: one that creates a ${resource.kind} starts the control plane with startControlPlane({ crdDirectoryPaths: ['config/crd/external'] })`,
    );
  }
  notes.push(...(await insertResourceEntries(tree, resource, context)));
  const siblings = project.resources.filter((other) => other.group === resource.group && other.kind === resource.kind);
  if (!existing && siblings.length > 0) {
    const versions = [...siblings.map((other) => other.version), resource.version].join(', ');
    notes.push(
      `${resource.kind} now has versions ${versions}: mark exactly one of them with // +kubebuilder:storageversion before \`npm run manifests\``,
    );
  }
  const updated: Project = {
    ...project,
    resources: existing
      ? project.resources.map((other) => (other === existing ? resource : other))
      : [...project.resources, resource],
  };
  tree.generate(PROJECT_FILE, serializeProject(updated));
  return { project: updated, notes };
}

/**
 * Inserts the kustomization entries and the controller registration of a resource. Also used by
 * `init --force` to re-register the resources PROJECT already records.
 */
export async function insertResourceEntries(
  tree: Tree,
  resource: ProjectResource,
  context: ResourceContext,
): Promise<string[]> {
  const notes: string[] = [];
  const insert = (path: string, marker: string, fragments: string[]) =>
    insertOrNote(tree, notes, path, marker, fragments);
  if (!context.foreign) {
    insert('config/crd/kustomization.yaml', 'crdkustomizeresource', [
      `- bases/${context.apiGroup}_${resource.plural}.yaml`,
    ]);
    insert('config/samples/kustomization.yaml', 'manifestskustomizesamples', [
      `- ${resource.group}_${resource.version}_${context.fileBase}.yaml`,
    ]);
    insert(
      'config/rbac/kustomization.yaml',
      'rbac',
      ['admin', 'editor', 'viewer'].map((role) => `- ${context.roleBase}_${role}_role.yaml`),
    );
  }
  if (resource.controller) {
    await registerSetup(
      tree,
      notes,
      `setup${context.setupPrefix}${resource.kind}Controller`,
      relativeModule('src', `${context.controllerDir}/${context.fileBase}.controller.ts`),
    );
  }
  return notes;
}

/** The PROJECT entry this request creates, after checking it against what already exists. */
function planResource(tree: Tree, project: Project, options: ApiOptions): ProjectResource {
  const { group, version, kind } = options;
  const apiGroup = apiGroupOf({ group, domain: project.domain });
  const existing = findResource(project, options);
  if (!options.resource && options.controller === false) {
    throw new UserError('--resource=false with --controller=false leaves nothing to create');
  }
  const foreign = planForeign(tree, project, options, existing);
  if (foreign) {
    checkCollisions(project, foreign, false);
    return foreign;
  }
  const addsController = existing !== undefined && !options.resource && !existing.controller;
  if (existing && !options.force && !addsController) {
    throw new UserError(`${kind} ${apiGroup}/${version} already exists (PROJECT records it)`, {
      hint: 'pass --force to scaffold its files again (existing files are overwritten)',
    });
  }
  const siblings = project.resources.filter(
    (other) => other.group === group && other.kind === kind && other !== existing,
  );
  const sibling = siblings[0];
  const plural = options.plural ?? sibling?.plural ?? pluralOf(kind);
  const namespaced = options.namespaced ?? sibling?.namespaced ?? true;
  if (sibling && sibling.namespaced !== namespaced) {
    throw new UserError(
      `--namespaced=${namespaced} conflicts with ${kind} ${sibling.version}, which is ${sibling.namespaced ? 'namespaced' : 'cluster-scoped'}`,
      { hint: 'all versions of a kind share one CRD and so one scope' },
    );
  }
  if (sibling && sibling.plural !== plural) {
    throw new UserError(
      `--plural ${plural} conflicts with ${kind} ${sibling.version}, whose plural is ${sibling.plural}`,
      {
        hint: 'all versions of a kind share one CRD and so one plural',
      },
    );
  }
  const controlledSibling = siblings.find((other) => other.controller);
  if (controlledSibling && options.controller === true) {
    throw new UserError(
      `--controller: ${kind} already has a controller (created with ${controlledSibling.version}: ${scaffoldedPaths(project, controlledSibling, false)[0]})`,
      { hint: 'one controller reconciles every version of a kind; leave --controller out for a new version' },
    );
  }
  if (!options.resource && !existing) {
    throw new UserError(
      `--resource=false: ${kind} ${apiGroup}/${version} is not in PROJECT, so there is no API to control`,
      {
        hint: `create the API first (leave --resource out); for a kind defined elsewhere use a Kubernetes group (${coreGroupNames().join(', ')}) or --external-api-path`,
      },
    );
  }
  const planned: ProjectResource = {
    group,
    version,
    kind,
    plural,
    domain: project.domain,
    namespaced,
    controller: (options.controller ?? !controlledSibling) || existing?.controller === true,
    path: existing?.path ?? apiPathFor(project.multigroup === true, group, version),
    ...(existing?.webhooks ? { webhooks: existing.webhooks } : {}),
    ...(existing?.extra ? { extra: existing.extra } : {}),
  };
  checkCollisions(project, planned, options.resource);
  return planned;
}

/**
 * The PROJECT entry of a kind defined elsewhere — a built-in kind of a Kubernetes group, or an
 * external kind (`--external-api-path`) — or undefined when the request is about an own API.
 */
function planForeign(
  tree: Tree,
  project: Project,
  options: ApiOptions,
  existing: ProjectResource | undefined,
): ProjectResource | undefined {
  const { group, version, kind } = options;
  const external = options.externalApiPath !== undefined;
  checkExternalFlags(options);
  if (external && options.resource) {
    throw new UserError(
      '--external-api-path and --external-api-domain are for a kind defined elsewhere, not an API created here: pass --resource=false',
    );
  }
  if (existing && !isForeign(existing)) {
    if (external) {
      throw new UserError(
        `--external-api-path: ${kind} ${apiGroupOf(existing)}/${version} is an API of this project (PROJECT records it)`,
      );
    }
    return undefined;
  }
  if (options.resource && !existing) return undefined;
  const request = {
    group,
    version,
    kind,
    plural: options.plural,
    namespaced: options.namespaced,
    // A controller added to a kind PROJECT already records as external keeps its module.
    externalApiPath: options.externalApiPath ?? (existing?.external ? existing.path : undefined),
    externalApiDomain: options.externalApiDomain ?? (existing?.external ? existing.domain : undefined),
  };
  const planned =
    request.externalApiPath !== undefined ? planExternalResource(tree, project, request) : planCoreResource(request);
  if (!planned) return undefined;
  if (options.resource) {
    throw new UserError(
      `${kind} ${apiGroupOf(planned) || 'core'}/${version} is defined elsewhere (PROJECT records it): pass --resource=false`,
    );
  }
  if (existing?.controller && !options.force) {
    throw new UserError(
      `${kind} ${apiGroupOf(planned) || 'core'}/${version} already has a controller (PROJECT records it)`,
      {
        hint: 'pass --force to scaffold it again (existing files are overwritten)',
      },
    );
  }
  return {
    ...planned,
    controller: options.controller !== false,
    ...(existing?.webhooks ? { webhooks: existing.webhooks } : {}),
    ...(existing?.extra ? { extra: existing.extra } : {}),
  };
}

const resourceNames = (resource: ProjectResource) => ({
  kind: resource.kind,
  listKind: `${resource.kind}List`,
  plural: resource.plural,
  singular: singularOf(resource.kind),
});

function scaffoldedPaths(project: Project, resource: ProjectResource, withTypes: boolean): string[] {
  const context = resourceContext(projectContext(project, undefined), resource);
  const templates = [
    ...(withTypes && !isForeign(resource) ? RESOURCE_TEMPLATES : []),
    ...(resource.controller ? controllerTemplates(resource) : []),
  ];
  return templates.map((template) => outputPathOf(template, context));
}

/**
 * Another kind (any version) must not claim a resource name of this one in its API group (the
 * apiserver would serve only one of the two CRDs), nor a file this one scaffolds (files are named
 * by kind in lower case, so `Guestbook` and `GUESTBOOK`, or one kind in two groups, would share
 * them and the second would silently be skipped).
 */
function checkCollisions(project: Project, planned: ProjectResource, withTypes: boolean): void {
  const apiGroup = apiGroupOf(planned);
  const paths = new Set(scaffoldedPaths(project, planned, withTypes));
  const caseHint = 'kinds that differ only in case share their lower-case resource and file names';
  for (const other of project.resources) {
    if (other.group === planned.group && other.kind === planned.kind) continue;
    const where = `${other.kind} ${apiGroupOf(other)}/${other.version}`;
    const sameInLowerCase = other.kind.toLowerCase() === planned.kind.toLowerCase();
    const shared =
      apiGroupOf(other) === apiGroup ? sharedResourceName(resourceNames(planned), resourceNames(other)) : undefined;
    if (shared) {
      throw new UserError(
        `--kind ${planned.kind}: ${shared} is already taken in ${apiGroup} by ${where} (PROJECT records it)`,
        {
          hint: sameInLowerCase
            ? `${caseHint}: choose another --kind`
            : `the apiserver serves only one CRD per plural or singular name in a group: choose another --kind${
                [other.plural, singularOf(other.kind)].includes(planned.plural) ? ' or --plural' : ''
              }`,
        },
      );
    }
    const taken = scaffoldedPaths(project, other, true).find((path) => paths.has(path));
    if (taken) {
      throw new UserError(`--kind ${planned.kind}: ${taken} already belongs to ${where} (PROJECT records it)`, {
        hint:
          sameInLowerCase && other.kind !== planned.kind
            ? `${caseHint}: choose another --kind`
            : 'files are named by kind, so a kind name belongs to one API group: choose another --kind, or `kubeforge edit --multigroup` (a folder per group) first',
      });
    }
  }
}
