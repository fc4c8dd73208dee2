/**
 * Where a resource's webhooks are wired in: their setup calls in src/main.ts, `manifests.yaml` in
 * config/webhook, the webhook and cert-manager bases and the patches in config/default, and the
 * `dev:webhooks` script of package.json. `create webhook` adds them; `init --force`, which rewrites
 * src/main.ts, config/default and package.json from templates, adds them again for every webhook
 * PROJECT records. Each addition is skipped when present, so adding twice changes nothing.
 */
import { isSeq, parseDocument, type YAMLSeq } from 'yaml';
import { UserError } from '../errors.js';
import { formatJsonLike, outputPathOf, parseJsonFile, type Tree } from '../machinery/index.js';
import type { ProjectResource, ProjectWebhooks } from '../project/index.js';
import type { ResourceContext } from './context.js';
import { insertOrNote, registerSetup } from './insert-or-note.js';
import { relativeModule } from './layout.js';

const MUTATING_PATCH = 'webhook/config/default/mutating_webhook_cainjection_patch.yaml';
const VALIDATING_PATCH = 'webhook/config/default/validating_webhook_cainjection_patch.yaml';
const CONVERSION_PATCH = 'webhook/config/default/{conversionPatchBase}_conversion_patch.yaml';
const MANAGER_PATCH = 'manager_webhook_patch.yaml';
const DEFAULT_KUSTOMIZATION = 'config/default/kustomization.yaml';

/** `v1` → `V1`, `v2beta1` → `V2beta1`. */
export function pascalOfVersion(version: string): string {
  return version.charAt(0).toUpperCase() + version.slice(1);
}

/** The templates of the config/default patches the webhooks need. */
export function patchTemplates(webhooks: ProjectWebhooks): string[] {
  return [
    ...(webhooks.defaulting ? [MUTATING_PATCH] : []),
    ...(webhooks.validation ? [VALIDATING_PATCH] : []),
    ...(webhooks.conversion ? [CONVERSION_PATCH] : []),
  ];
}

/** Wires in the webhooks of a resource; returns notes for what could not be. */
export async function insertWebhookEntries(
  tree: Tree,
  resource: ProjectResource,
  webhooks: ProjectWebhooks,
  context: ResourceContext,
): Promise<string[]> {
  const notes: string[] = [];
  const folder = `${context.webhookDir}/${context.fileBase}`;
  if (webhooks.defaulting || webhooks.validation) {
    const setup = `setup${context.setupPrefix}${resource.kind}${pascalOfVersion(resource.version)}Webhook`;
    await registerSetup(tree, notes, setup, relativeModule('src', `${folder}.webhook.ts`));
    insertOrNote(tree, notes, 'config/webhook/kustomization.yaml', 'webhookresources', ['- manifests.yaml']);
  }
  if (webhooks.conversion) {
    await registerSetup(
      tree,
      notes,
      `setup${context.setupPrefix}${resource.kind}Conversion`,
      relativeModule('src', `${folder}.conversion.ts`),
    );
  }
  const patches = patchTemplates(webhooks).map((template) =>
    outputPathOf(template, context).slice('config/default/'.length),
  );
  notes.push(...addKustomizeEntries(tree, ['../webhook', '../certmanager'], [MANAGER_PATCH, ...patches]));
  addDevScript(tree);
  return notes;
}

/**
 * Adds missing `resources` and `patches` (`- path: …`) entries to config/default, which has no
 * scaffold markers, editing it as a YAML document so comments stay.
 */
function addKustomizeEntries(tree: Tree, resources: string[], patches: string[]): string[] {
  const path = DEFAULT_KUSTOMIZATION;
  const manual = `add resources ${resources.join(', ')} and patches ${patches.join(', ')} to ${path} yourself`;
  const text = tree.read(path);
  if (text === undefined) return [`${path} is missing: ${manual}`];
  const document = parseDocument(text);
  const list = (key: string): YAMLSeq | undefined => {
    if (!document.has(key)) document.set(key, document.createNode([]));
    const node = document.get(key);
    return isSeq(node) ? node : undefined;
  };
  const resourceList = list('resources');
  const patchList = list('patches');
  if (!resourceList || !patchList) return [`${path}: resources or patches is not a list; ${manual}`];
  const values = (seq: YAMLSeq) =>
    (seq.toJSON() as unknown[]).map((item) => (item as { path?: unknown })?.path ?? item);
  const missingResources = resources.filter((resource) => !values(resourceList).includes(resource));
  const missingPatches = patches.filter((patch) => !values(patchList).includes(patch));
  for (const resource of missingResources) resourceList.add(document.createNode(resource));
  for (const patch of missingPatches) patchList.add(document.createNode({ path: patch }));
  if (missingResources.length + missingPatches.length > 0)
    tree.write(path, document.toString({ indentSeq: false }), 'webhook resources and patches added');
  else tree.skip(path, 'already present');
  return [];
}

const DEV_SCRIPT = 'dev:webhooks';

/** `npm run dev:webhooks`: the operator with its webhooks served locally (see `kubeforge run`). */
function addDevScript(tree: Tree): void {
  const path = 'package.json';
  const text = tree.read(path);
  if (text === undefined) return;
  const manifest = parseJsonFile(path, text);
  const scripts = isObject(manifest) ? (manifest.scripts ?? {}) : undefined;
  if (!isObject(manifest) || !isObject(scripts)) {
    throw new UserError(`${path}: ${isObject(manifest) ? '"scripts" must be an object' : 'must be a JSON object'}`, {
      hint: `fix ${path} by hand, then run the command again`,
    });
  }
  if (scripts[DEV_SCRIPT] !== undefined) {
    tree.skip(path, 'already present');
    return;
  }
  manifest.scripts = { ...scripts, [DEV_SCRIPT]: 'kubeforge run --webhooks' };
  tree.write(path, formatJsonLike(text, manifest), `script ${DEV_SCRIPT} added`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
