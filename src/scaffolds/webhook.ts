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
  PROJECT_FILE,
  serializeProject,
  type Project,
  type ProjectResource,
  type ProjectWebhooks,
} from '../project/index.js';
import type { ScaffoldResult } from './api.js';
import { BOILERPLATE_FILE, projectContext, resourceContext, type ResourceContext } from './context.js';
import { insertOrNote } from './insert-or-note.js';
import { insertWebhookEntries, pascalOfVersion, patchTemplates } from './webhook-registration.js';

const ADMISSION_TEMPLATES = [
  'webhook/src/webhooks/{version}/{fileBase}.webhook.ts',
  'webhook/src/webhooks/{version}/{fileBase}.webhook.test.ts',
];
const HUB_TEMPLATE = 'webhook/src/webhooks/{hubVersion}/{fileBase}.conversion.ts';
const SPOKE_TEMPLATE = 'webhook/src/webhooks/{spokeVersion}/{fileBase}.converter.ts';
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
  const { resource, webhooks } = planWebhooks(project, options);
  const base = resourceContext(projectContext(project, tree.read(BOILERPLATE_FILE)), resource);
  const context = webhookContext(base, webhooks);
  const notes: string[] = [];
  const render = async (template: string, extra: Record<string, unknown> = {}) => {
    const full = { ...context, ...extra };
    tree.scaffold(outputPathOf(template, full), await renderer.render(template, full), options);
  };

  if (webhooks.defaulting || webhooks.validation) {
    const webhookFile = outputPathOf(ADMISSION_TEMPLATES[0], context);
    const existing = tree.read(webhookFile);
    const rendered = await renderer.render(ADMISSION_TEMPLATES[0], context);
    if (existing !== undefined && existing !== rendered && !options.force && addsAdmission(resource, options)) {
      throw new UserError(`${webhookFile} exists and does not have the ${describeAdmission(options)} webhook yet`, {
        hint: 'pass --force to scaffold it again with every webhook PROJECT records (your edits to it are overwritten)',
      });
    }
    for (const template of ADMISSION_TEMPLATES) await render(template);
  }
  if (webhooks.conversion) {
    await render(HUB_TEMPLATE);
    const hubFile = outputPathOf(HUB_TEMPLATE, context);
    for (const spoke of webhooks.spokes) {
      const spokeContext = { spokeVersion: spoke, spokePascal: pascalOfVersion(spoke) };
      await render(SPOKE_TEMPLATE, spokeContext);
      const converter = `${context.camel}${spokeContext.spokePascal}Converter`;
      const spokeKind = `${resource.kind}${spokeContext.spokePascal}Kind`;
      insertOrNote(tree, notes, hubFile, 'imports', [
        `import { ${resource.kind}Kind as ${spokeKind} } from '../../../api/${spoke}/${context.fileBase}.types.js';`,
        `import { ${converter} } from '../${spoke}/${context.fileBase}.converter.js';`,
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
    resources: project.resources.map((other) => (other === resource ? { ...other, webhooks } : other)),
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
}

function webhookContext(base: ResourceContext, webhooks: ProjectWebhooks): WebhookContext {
  const suffix = `${base.apiGroup.replaceAll('.', '-')}-${base.version}-${base.kind.toLowerCase()}`;
  return {
    ...base,
    versionPascal: pascalOfVersion(base.version),
    hubVersion: base.version,
    hubPascal: pascalOfVersion(base.version),
    mutatePath: `/mutate-${suffix}`,
    validatePath: `/validate-${suffix}`,
    defaulting: webhooks.defaulting,
    validation: webhooks.validation,
  };
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
  project: Project,
  options: WebhookOptions,
): { resource: ProjectResource; webhooks: ProjectWebhooks } {
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
  const resource = findResource(project, options);
  if (!resource) {
    throw new UserError(`--kind ${kind}: ${kind} ${apiGroup}/${version} is not in PROJECT`, {
      hint: `create the API first: ${createApi(version)}`,
    });
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
  return { resource, webhooks };
}
