/**
 * A generated operator for the packaging tests, made as a user makes one: `kubeforge init` and
 * `create api` with the built CLI, `npm install` against this checkout, `npm run manifests` and
 * `npm run bundle`. Its own project name and domain keep its namespace and CRD apart from other
 * tests on the shared control plane.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CLI, REPO, sh, useWorkspace, type Workspace } from '../cli/cli-harness.js';

export const PROJECT_NAME = 'pkgtest';
export const DOMAIN = 'packaging.example.com';
export const NAMESPACE = `${PROJECT_NAME}-system`;
export const SERVICE_ACCOUNT = `${PROJECT_NAME}-controller-manager`;
export const TEN_MINUTES = 600_000;

/** A workspace whose `project` is the generated, installed, bundled operator (made once per file). */
export function usePackagedProject(): Workspace {
  const ws = useWorkspace('packaging', { name: PROJECT_NAME, once: true });
  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    const kubeforge = (args: string[]) => sh(ws.project, process.execPath, [CLI, ...args]);
    await kubeforge(['init', '--domain', DOMAIN, '--kubeforge-path', REPO, '--yes']);
    await kubeforge(['create', 'api', '--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook', '--yes']);
    await sh(ws.project, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
    await sh(ws.project, 'npm', ['run', 'manifests']);
    await sh(ws.project, 'npm', ['run', 'bundle']);
  }, TEN_MINUTES);
  return ws;
}

export interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** The objects of a multi-document YAML stream (empty documents dropped). */
export function parseManifests(text: string): KubeManifest[] {
  return parseAllDocuments(text)
    .map((document) => document.toJSON() as KubeManifest | null)
    .filter((object): object is KubeManifest => object !== null);
}

export function findManifest(objects: KubeManifest[], kind: string, name: string): KubeManifest {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found)
    throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

export interface RbacRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}

/** `group resource verb` for every combination a list of rules grants, sorted. */
export function grants(rules: RbacRule[]): string[] {
  return rules
    .flatMap((rule) =>
      (rule.apiGroups ?? ['']).flatMap((group) =>
        (rule.resources ?? []).flatMap((resource) => rule.verbs.map((verb) => `${group} ${resource} ${verb}`)),
      ),
    )
    .sort();
}

/** The grants the `+kubebuilder:rbac` markers in the project's controllers ask for. */
export async function markerGrants(project: string, files: string[]): Promise<string[]> {
  const rules: RbacRule[] = [];
  for (const file of files) {
    for (const [, body] of (await readFile(join(project, file), 'utf8')).matchAll(/\+kubebuilder:rbac:(\S+)/g)) {
      const fields = Object.fromEntries(body.split(',').map((pair) => pair.split('=') as [string, string]));
      rules.push({
        apiGroups: fields.groups.split(';'),
        resources: fields.resources.split(';'),
        verbs: fields.verbs.split(';'),
      });
    }
  }
  return grants(rules);
}
