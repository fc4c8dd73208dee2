/**
 * `create api`: the files of one API version of a kind (types, sample, admin/editor/viewer roles)
 * and of its controller (reconciler, its test, registration in src/main.ts), the kustomization
 * entries that reference them, and the resource's entry in PROJECT.
 */
import { UserError } from '../errors.js';
import { outputPathOf, templateRenderer, type TemplateRenderer, type Tree } from '../machinery/index.js';
import {
  apiGroupOf,
  fileBaseOf,
  findResource,
  PROJECT_FILE,
  serializeProject,
  sharedResourceName,
  singularOf,
  type Project,
  type ProjectResource,
} from '../project/index.js';
import { insertOrNote, registerSetup } from './insert-or-note.js';
import { BOILERPLATE_FILE, projectContext, resourceContext, type ResourceContext } from './context.js';

const RESOURCE_TEMPLATES = [
  'api/api/{version}/{fileBase}.types.ts',
  'api/config/samples/{group}_{version}_{fileBase}.yaml',
  'api/config/rbac/{fileBase}_admin_role.yaml',
  'api/config/rbac/{fileBase}_editor_role.yaml',
  'api/config/rbac/{fileBase}_viewer_role.yaml',
];

const CONTROLLER_TEMPLATES = [
  'api/src/controllers/{fileBase}.controller.ts',
  'api/src/controllers/{fileBase}.controller.test.ts',
];

export interface ApiOptions {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
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
  const resource = planResource(project, options);
  const context = resourceContext(projectContext(project, tree.read(BOILERPLATE_FILE)), resource);
  const notes: string[] = [];
  const existing = findResource(project, resource);
  if (options.resource) {
    for (const template of RESOURCE_TEMPLATES) {
      tree.scaffold(outputPathOf(template, context), await renderer.render(template, context), options);
    }
  }
  if (resource.controller) {
    for (const template of CONTROLLER_TEMPLATES) {
      tree.scaffold(outputPathOf(template, context), await renderer.render(template, context), options);
    }
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
  insert('config/crd/kustomization.yaml', 'crdkustomizeresource', [
    `- bases/${context.apiGroup}_${resource.plural}.yaml`,
  ]);
  insert('config/samples/kustomization.yaml', 'manifestskustomizesamples', [
    `- ${resource.group}_${resource.version}_${context.fileBase}.yaml`,
  ]);
  insert(
    'config/rbac/kustomization.yaml',
    'rbac',
    ['admin', 'editor', 'viewer'].map((role) => `- ${context.fileBase}_${role}_role.yaml`),
  );
  if (resource.controller) {
    await registerSetup(
      tree,
      notes,
      `setup${resource.kind}Controller`,
      `./controllers/${context.fileBase}.controller.js`,
    );
  }
  return notes;
}

/** The PROJECT entry this request creates, after checking it against what already exists. */
function planResource(project: Project, options: ApiOptions): ProjectResource {
  const { group, version, kind } = options;
  const apiGroup = apiGroupOf({ group, domain: project.domain });
  const existing = findResource(project, options);
  if (!options.resource && options.controller === false) {
    throw new UserError('--resource=false with --controller=false leaves nothing to create');
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
  if (sibling && sibling.namespaced !== options.namespaced) {
    throw new UserError(
      `--namespaced=${options.namespaced} conflicts with ${kind} ${sibling.version}, which is ${sibling.namespaced ? 'namespaced' : 'cluster-scoped'}`,
      { hint: 'all versions of a kind share one CRD and so one scope' },
    );
  }
  if (sibling && sibling.plural !== options.plural) {
    throw new UserError(
      `--plural ${options.plural} conflicts with ${kind} ${sibling.version}, whose plural is ${sibling.plural}`,
      {
        hint: 'all versions of a kind share one CRD and so one plural',
      },
    );
  }
  const controlledSibling = siblings.find((other) => other.controller);
  if (controlledSibling && options.controller === true) {
    throw new UserError(
      `--controller: ${kind} already has a controller (created with ${controlledSibling.version}: src/controllers/${fileBaseOf(kind)}.controller.ts)`,
      { hint: 'one controller reconciles every version of a kind; leave --controller out for a new version' },
    );
  }
  if (!options.resource && !existing) {
    throw new UserError(
      `--resource=false: ${kind} ${apiGroup}/${version} is not in PROJECT, so there is no API to control`,
      {
        hint: 'create the API first (leave --resource out)',
      },
    );
  }
  const planned: ProjectResource = {
    group,
    version,
    kind,
    plural: options.plural,
    domain: project.domain,
    namespaced: options.namespaced,
    controller: (options.controller ?? !controlledSibling) || existing?.controller === true,
    path: `api/${version}`,
    ...(existing?.webhooks ? { webhooks: existing.webhooks } : {}),
    ...(existing?.extra ? { extra: existing.extra } : {}),
  };
  checkCollisions(project, planned, options.resource);
  return planned;
}

const resourceNames = (resource: ProjectResource) => ({
  kind: resource.kind,
  listKind: `${resource.kind}List`,
  plural: resource.plural,
  singular: singularOf(resource.kind),
});

function scaffoldedPaths(project: Project, resource: ProjectResource, withTypes: boolean): string[] {
  const context = resourceContext(projectContext(project, undefined), resource);
  const templates = [...(withTypes ? RESOURCE_TEMPLATES : []), ...(resource.controller ? CONTROLLER_TEMPLATES : [])];
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
        hint: `${sameInLowerCase && other.kind !== planned.kind ? caseHint : 'files are named by kind, so a kind name belongs to one API group'}: choose another --kind`,
      });
    }
  }
}
