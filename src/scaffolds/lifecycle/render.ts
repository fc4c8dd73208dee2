/**
 * The scaffold of a project as PROJECT records it: `init`, then every `create api` (own, built-in
 * and external kinds, in PROJECT's order; with `--plugins deploy-image` for the kinds that
 * plugin's settings list), then every `create webhook` (defaulting, validation,
 * conversion with its spokes), rendered in memory. `alpha generate` writes it; `upgrade` renders it
 * twice — from the old version's templates and from this version's — as the two sides of a merge.
 */
import { MemoryStore, Tree, type TemplateRenderer } from '../../machinery/index.js';
import {
  isForeign,
  PLUGIN_KEYS,
  pluginSettings,
  PROJECT_FILE,
  serializeProject,
  type Project,
  type ProjectResource,
} from '../../project/index.js';
import { scaffoldApi } from '../api.js';
import { BOILERPLATE_FILE } from '../context.js';
import { scaffoldInit } from '../init.js';
import { scaffoldDeployImageApi } from '../plugins/index.js';
import { scaffoldWebhook } from '../webhook.js';

/** What a project's scaffold depends on besides PROJECT, read from the project (see `scaffoldInputsOf`). */
export interface ScaffoldInputs {
  /** The project's license header (hack/boilerplate.ts.txt); undefined: scaffolded without one. */
  boilerplate: string | undefined;
  /** The `kubeforge` dependency of package.json. */
  kubeforgeDependency: string;
  /** The year in the license header of package files rendered without the project's own header. */
  year: number;
  /** Reads a file of the project: the modules external kinds come from, the packages they depend on. */
  read: (path: string) => string | undefined;
}

/** Reads the scaffold inputs from a project's files (`read` returns a file's text or undefined). */
export function scaffoldInputsOf(
  read: (path: string) => string | undefined,
  fallbackDependency: string,
  year: number,
): ScaffoldInputs {
  const dependency = dependenciesOf(read('package.json')).kubeforge;
  return { boilerplate: read(BOILERPLATE_FILE), kubeforgeDependency: dependency ?? fallbackDependency, year, read };
}

function dependenciesOf(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  try {
    return (JSON.parse(text) as { dependencies?: Record<string, string> }).dependencies ?? {};
  } catch {
    return {};
  }
}

/**
 * Every file the commands PROJECT records write, by project-relative path; PROJECT itself is the
 * project's own (with its unknown keys) stamped with `cliVersion`.
 */
export async function renderScaffold(
  project: Project,
  inputs: ScaffoldInputs,
  cliVersion: string,
  renderer: TemplateRenderer,
): Promise<Map<string, string>> {
  const store = new MemoryStore(inputs.boilerplate === undefined ? {} : { [BOILERPLATE_FILE]: inputs.boilerplate });
  const tree = new Tree(store);
  let current = (
    await scaffoldInit(
      tree,
      {
        domain: project.domain,
        projectName: project.projectName,
        namespaced: project.namespaced,
        license: inputs.boilerplate === undefined ? 'none' : 'apache2',
        owner: `The ${project.projectName} Authors`,
        year: inputs.year,
        kubeforgeDependency: inputs.kubeforgeDependency,
        force: false,
        existing: { ...project, resources: [] },
      },
      renderer,
    )
  ).project;
  const seeded: string[] = [];
  for (const resource of project.resources) {
    if (resource.external) seeded.push(...seedExternalModule(tree, inputs, resource.path));
    const image = deployImageOf(project, resource);
    const scaffolded = image
      ? await scaffoldDeployImageApi(tree, current, apiOptionsOf(resource), image, renderer)
      : await scaffoldApi(tree, current, apiOptionsOf(resource), renderer);
    current = scaffolded.project;
  }
  for (const resource of project.resources) {
    if (!resource.webhooks) continue;
    const { defaulting, validation, conversion, spokes } = resource.webhooks;
    const options = { ...foreignFlagsOf(resource), defaulting, validation, conversion, spokes, force: false };
    current = (await scaffoldWebhook(tree, current, options, renderer)).project;
  }
  tree.generate(PROJECT_FILE, serializeProject({ ...project, cliVersion }));
  await tree.commit();
  for (const path of seeded) store.files.delete(path);
  return store.files;
}

/**
 * What `create api --external-api-path` needed when it ran: the project file the kind comes from
 * (read from the project), or the npm package in package.json's dependencies (added to the
 * rendered package.json with the project's range, as `npm install` did).
 */
function seedExternalModule(tree: Tree, inputs: ScaffoldInputs, modulePath: string): string[] {
  const seeded: string[] = [];
  for (const path of [modulePath, `${modulePath}.ts`, modulePath.replace(/\.js$/, '.ts')]) {
    const text = inputs.read(path);
    if (text === undefined || tree.exists(path)) continue;
    tree.write(path, text);
    seeded.push(path);
  }
  const name = /^((?:@[^/]+\/)?[^/.][^/]*)/.exec(modulePath)?.[1];
  const range = name === undefined ? undefined : dependenciesOf(inputs.read('package.json'))[name];
  const staged = tree.read('package.json');
  if (name === undefined || range === undefined || staged === undefined) return seeded;
  const manifest = JSON.parse(staged) as { dependencies?: Record<string, string> };
  if (manifest.dependencies?.[name] !== undefined) return seeded;
  manifest.dependencies = { ...manifest.dependencies, [name]: range };
  tree.write('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return seeded;
}

/** The `--plugins deploy-image` flags a kind was created with, from the plugin's PROJECT settings. */
function deployImageOf(project: Project, resource: ProjectResource) {
  const recorded = pluginSettings(project, PLUGIN_KEYS.deployImage)?.resources.find(
    (entry) => entry.group === resource.group && entry.version === resource.version && entry.kind === resource.kind,
  );
  if (!recorded) return undefined;
  const { image, containerPort, runAsUser, containerCommand } = recorded;
  return { image, containerPort, runAsUser, containerCommand };
}

/** The `create api` flags that recreate a PROJECT resource. */
function apiOptionsOf(resource: ProjectResource) {
  return {
    ...foreignFlagsOf(resource),
    plural: resource.plural,
    namespaced: resource.namespaced,
    resource: !isForeign(resource),
    controller: resource.controller,
    force: false,
  };
}

/** Group, version and kind, with `--external-api-path`/`--external-api-domain` for an external kind. */
function foreignFlagsOf(resource: ProjectResource) {
  const { group, version, kind } = resource;
  return resource.external
    ? { group, version, kind, externalApiPath: resource.path, externalApiDomain: resource.domain }
    : { group, version, kind };
}
