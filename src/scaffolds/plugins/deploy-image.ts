/**
 * `create api --plugins deploy-image` (kubebuilder's deploy-image/v1-alpha): the API and controller
 * of a kind that runs one container image. It scaffolds what `create api` scaffolds, with the
 * types, sample and controller (plus its children module and envtest test) taken from
 * templates/deploy-image; sets `<KIND>_IMAGE` in config/manager/manager.yaml; and records the
 * plugin's settings for the kind in PROJECT under `plugins:`.
 */
import { UserError } from '../../errors.js';
import { outputPathOf, templateRenderer, type TemplateRenderer, type Tree } from '../../machinery/index.js';
import {
  PLUGIN_KEYS,
  PROJECT_FILE,
  pluginSettings,
  serializeProject,
  withPluginSettings,
  type DeployImageResource,
  type Project,
} from '../../project/index.js';
import { scaffoldApi, type ApiOptions, type ScaffoldResult } from '../api.js';
import { BOILERPLATE_FILE, projectContext, resourceContext } from '../context.js';
import { setManagerEnv } from './manager-env.js';

/** The templates of `create api` this plugin replaces with its own (same output paths). */
const REPLACED = new Set([
  'api/{apiDir}/{fileBase}.types.ts',
  'api/config/samples/{group}_{version}_{fileBase}.yaml',
  'api/{controllerDir}/{fileBase}.controller.ts',
  'api/{controllerDir}/{fileBase}.controller.test.ts',
]);
const CHILDREN_TEMPLATE = 'deploy-image/{controllerDir}/{fileBase}.children.ts';

export interface DeployImageOptions {
  /** `--image`: the operand image, e.g. memcached:1.6. */
  image: string;
  /** `--image-container-port`: the port the container listens on (a Service is scaffolded for it). */
  containerPort?: number;
  /** `--run-as-user`: the container's securityContext.runAsUser. */
  runAsUser?: number;
  /** `--image-container-command`, split at commas: the container's command. */
  containerCommand?: string[];
}

/** `MEMCACHED_IMAGE` for kind Memcached, as kubebuilder names it. */
export function imageEnvVarOf(kind: string): string {
  return `${kind.toUpperCase()}_IMAGE`;
}

/** Checks the flags of the plugin; throws a `UserError` naming the flag. */
export function checkDeployImageFlags(
  api: { resource?: boolean; controller?: boolean; namespaced?: boolean; externalApiPath?: string },
  plugin: { image?: string; containerPort?: string; runAsUser?: string; containerCommand?: string },
): DeployImageOptions {
  const image = plugin.image?.trim();
  if (!image) {
    throw new UserError('--image is required with --plugins deploy-image', {
      hint: 'the operand image the controller deploys, e.g. --image memcached:1.6',
    });
  }
  if (/\s/.test(image)) throw new UserError(`--image "${image}": an image reference has no spaces`);
  if (api.resource === false || api.controller === false || api.externalApiPath !== undefined) {
    throw new UserError(
      '--plugins deploy-image scaffolds the API and its controller: leave out --resource, --controller and --external-api-path',
    );
  }
  if (api.namespaced === false) {
    throw new UserError(
      '--namespaced=false: --plugins deploy-image needs a namespaced kind (its Deployment and Service live in its namespace)',
    );
  }
  const containerPort = integerFlag('--image-container-port', plugin.containerPort, 1, 65535);
  const runAsUser = integerFlag('--run-as-user', plugin.runAsUser, 0, 2 ** 31 - 1);
  return { image, containerPort, runAsUser, containerCommand: commandFlag(plugin.containerCommand) };
}

/** kubebuilder's `--image-container-command`: the command and its arguments, separated by commas. */
function commandFlag(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((part) => part.trim());
  const empty = parts.findIndex((part) => part === '');
  if (empty >= 0) {
    throw new UserError(`--image-container-command ${JSON.stringify(value)}: argument ${empty + 1} is empty`, {
      hint: 'separate the command and its arguments with commas, e.g. memcached,--memory-limit=64,-o,modern,-v',
    });
  }
  return parts;
}

/** A string array as a TypeScript literal in the project's style (single quotes). */
function arrayLiteral(items: string[]): string {
  return `[${items.map((item) => `'${item.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`).join(', ')}]`;
}

function integerFlag(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UserError(`${flag} ${JSON.stringify(value)}: must be an integer from ${min} to ${max}`);
  }
  return number;
}

/** Stages everything `create api --plugins deploy-image` writes; nothing is staged when it throws. */
export async function scaffoldDeployImageApi(
  tree: Tree,
  project: Project,
  api: ApiOptions,
  plugin: DeployImageOptions,
  renderer: TemplateRenderer = templateRenderer(),
): Promise<ScaffoldResult> {
  const values = {
    image: plugin.image,
    imageEnvVar: imageEnvVarOf(api.kind),
    hasContainerPort: plugin.containerPort !== undefined,
    containerPort: plugin.containerPort ?? '',
    hasRunAsUser: plugin.runAsUser !== undefined,
    runAsUser: plugin.runAsUser ?? '',
    hasContainerCommand: plugin.containerCommand !== undefined,
    containerCommand: plugin.containerCommand ? arrayLiteral(plugin.containerCommand) : '',
  };
  const pluginRenderer: TemplateRenderer = {
    render: (name, context) =>
      REPLACED.has(name)
        ? renderer.render(`deploy-image/${name.slice('api/'.length)}`, { ...context, ...values })
        : renderer.render(name, context),
  };
  const result = await scaffoldApi(tree, project, { ...api, resource: true, controller: true }, pluginRenderer);
  const resource = result.project.resources.find(
    (other) => other.group === api.group && other.version === api.version && other.kind === api.kind,
  );
  if (!resource) throw new Error(`create api recorded no ${api.kind} ${api.group}/${api.version} in PROJECT`);
  const context = {
    ...resourceContext(projectContext(result.project, tree.read(BOILERPLATE_FILE)), resource),
    ...values,
  };
  tree.scaffold(outputPathOf(CHILDREN_TEMPLATE, context), await renderer.render(CHILDREN_TEMPLATE, context), api);

  const notes = [...result.notes];
  const envNote = setManagerEnv(tree, values.imageEnvVar, plugin.image);
  if (envNote) notes.push(envNote);

  const entry: DeployImageResource = {
    group: api.group,
    version: api.version,
    kind: api.kind,
    image: plugin.image,
    ...(plugin.containerPort === undefined ? {} : { containerPort: plugin.containerPort }),
    ...(plugin.runAsUser === undefined ? {} : { runAsUser: plugin.runAsUser }),
    ...(plugin.containerCommand === undefined ? {} : { containerCommand: plugin.containerCommand }),
  };
  const recorded = pluginSettings(result.project, PLUGIN_KEYS.deployImage)?.resources ?? [];
  const others = recorded.filter(
    (other) => !(other.group === entry.group && other.version === entry.version && other.kind === entry.kind),
  );
  const updated = withPluginSettings(result.project, PLUGIN_KEYS.deployImage, { resources: [...others, entry] });
  tree.generate(PROJECT_FILE, serializeProject(updated));
  return { project: updated, notes };
}
