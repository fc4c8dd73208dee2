/**
 * Installs CustomResourceDefinitions from YAML/JSON files or directories and waits until the
 * apiserver serves them: each CRD `Established`, and every served version listed in discovery.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { EnvtestError } from '../errors.js';
import type { RestConfig } from '../runtime/index.js';
import { apiRequest, pollUntil } from './api-requests.js';

export interface CrdDocument {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; resourceVersion?: string };
  spec?: {
    group?: string;
    scope?: string;
    names?: { plural?: string; kind?: string };
    versions?: { name: string; served?: boolean }[];
  };
  status?: { conditions?: { type: string; status: string }[] };
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

async function manifestFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new EnvtestError(`CRD path ${path} does not exist`, { cause });
  });
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && MANIFEST_EXTENSIONS.has(extname(entry.name)))
    .map((entry) => join(path, entry.name))
    .sort();
}

/** Every `CustomResourceDefinition` document in the given files and directories (not recursive). */
export async function readCRDs(paths: string[]): Promise<CrdDocument[]> {
  const crds: CrdDocument[] = [];
  for (const path of paths) {
    for (const file of await manifestFiles(path)) {
      for (const document of parseAllDocuments(await readFile(file, 'utf8'))) {
        if (document.errors.length > 0) throw new EnvtestError(`${file}: ${document.errors[0].message}`);
        const object = document.toJS() as CrdDocument | null;
        if (object?.kind !== 'CustomResourceDefinition') continue;
        if (object.apiVersion !== 'apiextensions.k8s.io/v1') {
          throw new EnvtestError(
            `${file}: CRD ${object.metadata?.name} uses ${object.apiVersion}; only apiextensions.k8s.io/v1 is served`,
          );
        }
        crds.push(object);
      }
    }
  }
  return crds;
}

const CONFLICT_ATTEMPTS = 10;

/**
 * Creates the CRD or replaces the one already there. Two installs of the same CRD may run at once
 * (parallel test files on one control plane): a replace that loses to the other's write (409
 * Conflict), or finds the CRD gone, starts over with a fresh read, so both installs converge.
 */
async function createOrReplace(config: RestConfig, crd: CrdDocument): Promise<void> {
  const name = crd.metadata?.name;
  for (let attempt = 1; ; attempt++) {
    const created = await apiRequest(config, 'POST', CRD_PATH, crd);
    if (created.status === 201) return;
    if (created.status !== 409) throw new Error(`creating CRD ${name} failed (${created.status}): ${created.body}`);
    const existing = await apiRequest(config, 'GET', `${CRD_PATH}/${name}`);
    if (existing.status === 200) {
      const resourceVersion = (JSON.parse(existing.body) as CrdDocument).metadata?.resourceVersion;
      const replaced = await apiRequest(config, 'PUT', `${CRD_PATH}/${name}`, {
        ...crd,
        metadata: { ...crd.metadata, resourceVersion },
      });
      if (replaced.status === 200) return;
      if (replaced.status !== 409 || attempt === CONFLICT_ATTEMPTS) {
        throw new Error(`updating CRD ${name} failed (${replaced.status}): ${replaced.body}`);
      }
    } else if (existing.status !== 404 || attempt === CONFLICT_ATTEMPTS) {
      throw new Error(`reading CRD ${name} failed (${existing.status}): ${existing.body}`);
    }
  }
}

async function isServed(config: RestConfig, crd: CrdDocument): Promise<boolean> {
  const current = await apiRequest(config, 'GET', `${CRD_PATH}/${crd.metadata?.name}`);
  if (current.status !== 200) return false;
  const conditions = (JSON.parse(current.body) as CrdDocument).status?.conditions ?? [];
  if (!conditions.some((condition) => condition.type === 'Established' && condition.status === 'True')) return false;
  for (const version of crd.spec?.versions ?? []) {
    if (version.served === false) continue;
    const discovery = await apiRequest(config, 'GET', `/apis/${crd.spec?.group}/${version.name}`);
    if (discovery.status !== 200) return false;
    const resources = (JSON.parse(discovery.body) as { resources?: { name: string }[] }).resources ?? [];
    if (!resources.some((resource) => resource.name === crd.spec?.names?.plural)) return false;
  }
  return true;
}

/**
 * The first write to a new resource waits ~2 s inside the apiserver's admission chain (measured on
 * 1.37). A dry-run create — valid or not — takes that wait here, in parallel for all CRDs, instead
 * of in the first test that creates an object.
 */
async function warmUp(config: RestConfig, crd: CrdDocument): Promise<void> {
  const { group, names, versions = [], scope } = crd.spec ?? {};
  await Promise.all(
    versions
      .filter((version) => version.served !== false)
      .map((version) => {
        const collection = scope === 'Cluster' ? names?.plural : `namespaces/default/${names?.plural}`;
        const probe = {
          apiVersion: `${group}/${version.name}`,
          kind: names?.kind,
          metadata: { name: 'kubeforge-envtest-warm-up' },
        };
        return apiRequest(config, 'POST', `/apis/${group}/${version.name}/${collection}?dryRun=All`, probe);
      }),
  );
}

/**
 * Creates (or replaces) the CRDs found in `paths` and waits until each is established and
 * served. Returns their names.
 */
export async function installCRDs(
  target: RestConfig | { restConfig: RestConfig },
  paths: string[],
  timeoutMs = 30_000,
): Promise<string[]> {
  return installCRDDocuments('restConfig' in target ? target.restConfig : target, await readCRDs(paths), timeoutMs);
}

/** Creates (or replaces) already-read CRDs and waits until each is established and served. */
export async function installCRDDocuments(
  config: RestConfig,
  crds: CrdDocument[],
  timeoutMs = 30_000,
): Promise<string[]> {
  for (const crd of crds) await createOrReplace(config, crd);
  await Promise.all(
    crds.map((crd) =>
      pollUntil(() => isServed(config, crd), {
        timeoutMs,
        describe: () => `CRD ${crd.metadata?.name} did not become established`,
      }).then(() => warmUp(config, crd)),
    ),
  );
  return crds.map((crd) => crd.metadata?.name ?? '');
}
