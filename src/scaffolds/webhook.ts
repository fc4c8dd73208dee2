/**
 * `create webhook`: for one API version of a kind, the defaulting and validating webhook file
 * (typed handlers, +kubebuilder:webhook markers) and its unit test; for conversion, the hub's
 * registration and one converter stub per spoke; the kustomize config that serves them in a
 * cluster (config/webhook, config/certmanager, patches in config/default); the registration in
 * src/main.ts; and the resource's `webhooks` entry in PROJECT.
 */
import { UserError } from '../errors.js';
import { outputPathOf, templateRenderer, type TemplateRenderer, type Tree } from '../machinery/index.js';
import {
  apiGroupOf,
  findResource,
  isForeign,
  PROJECT_FILE,
  serializeProject,
  type Project,
  type ProjectResource,
  type ProjectWebhooks,
} from '../project/index.js';
import type { ScaffoldResult } from './api.js';
import { BOILERPLATE_FILE, projectContext, resourceContext, type ResourceContext } from './context.js';
import { findBuiltinKind } from './builtin-kinds.js';
import { checkExternalFlags, foreignKindNames, planCoreResource, planExternalResource } from './foreign-kind.js';
import { insertOrNote } from './insert-or-note.js';
import { layoutOf, relativeModule } from './layout.js';
import { insertWebhookEntries, pascalOfVersion, patchTemplates } from './webhook-registration.js';

const ADMISSION_TEMPLATES = [
  'webhook/{webhookDir}/{fileBase}.webhook.ts',
  'webhook/{webhookDir}/{fileBase}.webhook.test.ts',
];
/** Webhooks of a kind defined elsewhere (built-in or external): typed with its imported type. */
const FOREIGN_ADMISSION_TEMPLATES = [
  'foreign-webhook/{webhookDir}/{fileBase}.webhook.ts',
  'foreign-webhook/{webhookDir}/{fileBase}.webhook.test.ts',
];
/** kubebuilder's webhook suite test: the webhooks served in-process and called by a real apiserver. */
const ENVTEST_TEMPLATE = 'webhook/{webhookDir}/{fileBase}.webhook.envtest.test.ts';
const FOREIGN_ENVTEST_TEMPLATE = 'foreign-webhook/{webhookDir}/{fileBase}.webhook.envtest.test.ts';
const HUB_TEMPLATE = 'webhook/{webhookDir}/{fileBase}.conversion.ts';
const SPOKE_TEMPLATE = 'webhook/{spokeDir}/{fileBase}.converter.ts';
const CLUSTER_TEMPLATES = [
  'webhook/config/webhook/kustomization.yaml',
  'webhook/config/webhook/service.yaml',
  'webhook/config/certmanager/kustomization.yaml',
  'webhook/config/certmanager/certificate.yaml',
  'webhook/config/certmanager/kustomizeconfig.yaml',
  'webhook/config/default/manager_webhook_patch.yaml',
];

export interface WebhookOptions {
  group: string;
  version: string;
  kind: string;
  /** `--external-api-path` / `--external-api-domain`: a kind defined elsewhere, as for create api. */
  externalApiPath?: string;
  externalApiDomain?: string;
  defaulting: boolean;
  validation: boolean;
  conversion: boolean;
  /** Versions converted through this one (the hub); only with `conversion`. */
  spokes: string[];
  force: boolean;
}

/** Stages everything `create webhook` writes; throws a `UserError` (nothing staged) when the request conflicts. */
export async function scaffoldWebhook(
  tree: Tree,
  project: Project,
  options: WebhookOptions,
  renderer: TemplateRenderer = templateRenderer(),
): Promise<ScaffoldResult> {
  const { resource, webhooks, added } = planWebhooks(tree, project, options);
  const base = resourceContext(projectContext(project, tree.read(BOILERPLATE_FILE)), resource);
  const context = webhookContext(
    isForeign(resource) ? { ...base, ...foreignKindNames(resource, base.webhookDir) } : base,
    webhooks,
  );
  const admissionTemplates = isForeign(resource) ? FOREIGN_ADMISSION_TEMPLATES : ADMISSION_TEMPLATES;
  const notes: string[] = [];
  const render = async (template: string, extra: Record<string, unknown> = {}) => {
    const full = { ...context, ...extra };
    tree.scaffold(outputPathOf(template, full), await renderer.render(template, full), options);
  };

  if (webhooks.defaulting || webhooks.validation) {
    const webhookFile = outputPathOf(admissionTemplates[0], context);
    const existing = tree.read(webhookFile);
    const rendered = await renderer.render(admissionTemplates[0], context);
    if (existing !== undefined && existing !== rendered && !options.force && addsAdmission(resource, options)) {
      throw new UserError(`${webhookFile} exists and does not have the ${describeAdmission(options)} webhook yet`, {
        hint: 'pass --force to scaffold it again with every webhook PROJECT records (your edits to it are overwritten)',
      });
    }
    for (const template of admissionTemplates) await render(template);
    const envtest = envtestTemplate(resource, webhooks);
    if (envtest) {
      await render(envtest);
    } else {
      notes.push(
        `no envtest webhook test for ${resource.kind}: kubeforge has no sample ${resource.kind} to create (write one with startControlPlane({ webhookInstallOptions: { paths: ['config/webhook'] } }) as in docs/cli.md)`,
      );
    }
  }
  if (webhooks.conversion) {
    await render(HUB_TEMPLATE);
    const hubFile = outputPathOf(HUB_TEMPLATE, context);
    for (const spoke of webhooks.spokes) {
      const spokeResource = findResource(project, { group: resource.group, version: spoke, kind: resource.kind });
      const spokeLayout = layoutOf(context.multigroup, spokeResource ?? resource);
      const spokeDir = layoutOf(context.multigroup, { ...resource, version: spoke }).webhookDir;
      const spokeTypes = `${spokeLayout.apiDir}/${context.fileBase}.types.ts`;
      const hubTypes = `${context.apiDir}/${context.fileBase}.types.ts`;
      const spokeContext = {
        spokeVersion: spoke,
        spokePascal: pascalOfVersion(spoke),
        spokeDir,
        hubTypesFromSpoke: relativeModule(spokeDir, hubTypes),
        spokeTypesFromSpoke: relativeModule(spokeDir, spokeTypes),
      };
      await render(SPOKE_TEMPLATE, spokeContext);
      const converter = `${context.camel}${spokeContext.spokePascal}Converter`;
      const spokeKind = `${resource.kind}${spokeContext.spokePascal}Kind`;
      insertOrNote(tree, notes, hubFile, 'imports', [
        `import { ${resource.kind}Kind as ${spokeKind} } from '${relativeModule(context.webhookDir, spokeTypes)}';`,
        `import { ${converter} } from '${relativeModule(context.webhookDir, `${spokeDir}/${context.fileBase}.converter.ts`)}';`,
      ]);
      insertOrNote(tree, notes, hubFile, 'spokes', [`.spoke(${spokeKind}, ${converter})`]);
    }
    notes.push(
      `${resource.kind} ${resource.version} is the hub: mark it (and only it) with // +kubebuilder:storageversion in ${resource.path}/${context.fileBase}.types.ts`,
    );
  }
  for (const template of [...CLUSTER_TEMPLATES, ...patchTemplates(webhooks)]) await render(template);
  notes.push(...(await insertWebhookEntries(tree, resource, webhooks, context)));

  const updated: Project = {
    ...project,
    resources: added
      ? [...project.resources, { ...resource, webhooks }]
      : project.resources.map((other) => (other === resource ? { ...other, webhooks } : other)),
  };
  tree.generate(PROJECT_FILE, serializeProject(updated));
  return { project: updated, notes };
}

interface WebhookContext extends ResourceContext {
  versionPascal: string;
  hubVersion: string;
  hubPascal: string;
  mutatePath: string;
  validatePath: string;
  defaulting: boolean;
  validation: boolean;
  /** The domain part of webhook names: three segments at least, unique per group. */
  webhookDomain: string;
  /** A valid object of a built-in kind (without metadata) as JSON, `{}` when there is none. */
  sampleJson: string;
  /** The marker's `patch=` that keeps kube-system out of the webhooks of a kind defined elsewhere. */
  selectorPatch: string;
}

const SELECTOR_PATCH = `patch=\`${JSON.stringify({
  namespaceSelector: {
    matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }],
  },
})}\``;

function webhookContext(base: ResourceContext, webhooks: ProjectWebhooks): WebhookContext {
  // The paths webhookFor serves (kubeforge/runtime's webhookPath, controller-runtime's: `/mutate--v1-pod` for the core group).
  const suffix = `${base.apiGroup.replaceAll('.', '-')}-${base.version}-${base.kind.toLowerCase()}`;
  const mutatePath = `/mutate-${suffix}`;
  const validatePath = `/validate-${suffix}`;
  return {
    ...base,
    versionPascal: pascalOfVersion(base.version),
    hubVersion: base.version,
    hubPascal: pascalOfVersion(base.version),
    mutatePath,
    validatePath,
    defaulting: webhooks.defaulting,
    validation: webhooks.validation,
    webhookDomain: base.foreign ? `${base.rbacGroup}.${base.domain}` : base.apiGroup,
    selectorPatch: SELECTOR_PATCH,
    sampleJson: JSON.stringify(findBuiltinKind(base.apiGroup, base.version, base.kind)?.sample ?? {}),
  };
}

/**
 * The envtest webhook test to scaffold: for an own kind always; for a kind defined elsewhere only
 * with a defaulting webhook and a sample object to create (built-in kinds kubeforge has one for).
 */
function envtestTemplate(resource: ProjectResource, webhooks: ProjectWebhooks): string | undefined {
  if (!isForeign(resource)) return ENVTEST_TEMPLATE;
  const sample = resource.core && findBuiltinKind(apiGroupOf(resource), resource.version, resource.kind)?.sample;
  return webhooks.defaulting && sample ? FOREIGN_ENVTEST_TEMPLATE : undefined;
}

function addsAdmission(resource: ProjectResource, options: WebhookOptions): boolean {
  return (
    (options.defaulting && !resource.webhooks?.defaulting) || (options.validation && !resource.webhooks?.validation)
  );
}

function describeAdmission(options: WebhookOptions): string {
  return [options.defaulting && 'defaulting', options.validation && 'validating'].filter(Boolean).join(' and ');
}

/** The resource and its webhooks after this request, checked against PROJECT. */
function planWebhooks(
  tree: Tree,
  project: Project,
  options: WebhookOptions,
): { resource: ProjectResource; webhooks: ProjectWebhooks; added: boolean } {
  const { group, version, kind } = options;
  const apiGroup = apiGroupOf({ group, domain: project.domain });
  const createApi = (v: string) => `kubeforge create api --group ${group} --version ${v} --kind ${kind}`;
  if (!options.defaulting && !options.validation && !options.conversion) {
    throw new UserError('nothing to create: pass --defaulting, --programmatic-validation and/or --conversion');
  }
  if (options.spokes.length > 0 && !options.conversion) {
    throw new UserError('--spoke needs --conversion (spokes are the versions converted through this hub version)');
  }
  if (options.conversion && options.spokes.length === 0) {
    throw new UserError('--conversion needs --spoke <versions>: the other versions of the kind, e.g. --spoke v2');
  }
  checkExternalFlags(options);
  const recorded = findResource(project, options);
  if (recorded && !isForeign(recorded) && options.externalApiPath !== undefined) {
    throw new UserError(
      `--external-api-path: ${kind} ${apiGroup}/${version} is an API of this project (PROJECT records it)`,
    );
  }
  const resource = recorded ?? foreignResource(tree, project, options);
  if (!resource) {
    throw new UserError(`--kind ${kind}: ${kind} ${apiGroup}/${version} is not in PROJECT`, {
      hint: `create the API first: ${createApi(version)}; for a kind defined elsewhere use a Kubernetes group (--group core, apps, …) or --external-api-path`,
    });
  }
  if (isForeign(resource) && (options.conversion || options.spokes.length > 0)) {
    throw new UserError(
      `--conversion: ${kind} is defined elsewhere; only this project's own APIs have versions to convert`,
    );
  }
  const previous = resource.webhooks;
  const repeated = [
    options.defaulting && previous?.defaulting && '--defaulting',
    options.validation && previous?.validation && '--programmatic-validation',
    options.conversion &&
      previous?.conversion &&
      options.spokes.every((s) => previous.spokes.includes(s)) &&
      '--conversion',
  ].filter(Boolean);
  if (repeated.length > 0 && !options.force) {
    throw new UserError(
      `${kind} ${apiGroup}/${version} already has the ${repeated.join(', ')} webhook (PROJECT records it)`,
      {
        hint: 'pass --force to scaffold its files again (existing files are overwritten)',
      },
    );
  }
  for (const spoke of options.spokes) {
    if (spoke === version) throw new UserError(`--spoke ${spoke} is the hub version itself (--version ${version})`);
    if (!findResource(project, { group, version: spoke, kind })) {
      throw new UserError(`--spoke ${spoke}: ${kind} ${apiGroup}/${spoke} is not in PROJECT`, {
        hint: `create that version first: ${createApi(spoke)}`,
      });
    }
  }
  if (options.conversion) {
    const otherHub = project.resources.find(
      (other) =>
        other.group === group && other.kind === kind && other.version !== version && other.webhooks?.conversion,
    );
    if (otherHub) {
      throw new UserError(`--conversion: ${kind} already converts through hub ${otherHub.version}`, {
        hint: `one hub per kind: add spokes to it with kubeforge create webhook --group ${group} --version ${otherHub.version} --kind ${kind} --conversion --spoke …`,
      });
    }
  }
  const spokes = [...new Set([...(previous?.spokes ?? []), ...options.spokes])].sort();
  const webhooks: ProjectWebhooks = {
    defaulting: options.defaulting || previous?.defaulting === true,
    validation: options.validation || previous?.validation === true,
    conversion: options.conversion || previous?.conversion === true,
    spokes,
    ...(previous?.extra ? { extra: previous.extra } : {}),
  };
  return { resource, webhooks, added: recorded === undefined };
}

/** A built-in kind of a core group, or an external kind, that PROJECT does not record yet. */
function foreignResource(tree: Tree, project: Project, options: WebhookOptions): ProjectResource | undefined {
  const request = {
    group: options.group,
    version: options.version,
    kind: options.kind,
    plural: undefined,
    namespaced: undefined,
    externalApiPath: options.externalApiPath,
    externalApiDomain: options.externalApiDomain,
  };
  const planned =
    options.externalApiPath !== undefined ? planExternalResource(tree, project, request) : planCoreResource(request);
  return planned && { ...planned, controller: false };
}
