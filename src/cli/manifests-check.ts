/**
 * `kubeforge manifests --check`: hands every generated CRD, then every `config/samples` object, to
 * an apiserver with `dryRun=All` — a create, or an update of what the cluster already has — and
 * lists each rejection (structural errors, CEL rules over the cost budget, defaults that pruning
 * would drop, samples that break the schema) at the `file:line` it comes from: the TypeScript
 * type, field or marker behind a CRD, the line of a sample. Nothing is written to the cluster
 * (on a throw-away envtest the CRDs are installed for real, so the samples can be checked).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { LineCounter, parseAllDocuments } from 'yaml';
import { UserError } from '../errors.js';
import type { ManifestsResult } from '../codegen/index.js';
import type { DirectClient, KubeObject, ObjectKind } from '../runtime/index.js';
import { connectCheckTarget, type CheckTargetFlags } from './check-target.js';
import type { CliIO } from './io.js';

interface Cause {
  field?: string;
  message: string;
}

/** What a dry run says: accepted (with the object as it would be stored, and what was there), or rejected. */
type DryRun = { accepted: true; stored: KubeObject; existing?: KubeObject } | { accepted: false; causes: Cause[] };

interface CrdFile {
  path: string;
  crd: KubeObject & { spec: { group: string; scope: string; names: { kind: string; plural: string } } };
}

const SAMPLES_DIR = join('config', 'samples');

/** Runs the check; throws a `UserError` listing every rejection, by file:line. */
export async function checkManifests(
  projectDir: string,
  result: ManifestsResult,
  flags: CheckTargetFlags,
  io: CliIO,
): Promise<void> {
  const crds = crdFiles(result);
  const target = await connectCheckTarget(flags, result.kubernetesVersion, io);
  const problems: string[] = [];
  let samplesChecked = 0;
  try {
    const { CustomResourceDefinition } = await import('../runtime/index.js');
    /** CRDs the cluster serves exactly as generated: their samples can be checked. */
    const asGenerated = new Set<string>();
    for (const { path, crd } of crds) {
      const name = crd.metadata?.name ?? '';
      const outcome = await dryRun(target.client, CustomResourceDefinition, crd);
      if (!outcome.accepted) {
        for (const cause of outcome.causes) {
          const at = cause.field ? result.crdSources.locate(name, cause.field) : undefined;
          const where = at ? `${relative(projectDir, at.file)}:${at.line}` : path;
          problems.push(`${where}: CRD ${name}: ${cause.field ? `${cause.field}: ` : ''}${cause.message}`);
        }
      } else if (
        outcome.existing &&
        isDeepStrictEqual((outcome.stored as CrdFile['crd']).spec, (outcome.existing as CrdFile['crd']).spec)
      ) {
        asGenerated.add(name);
      }
    }
    if (target.install && problems.length === 0 && crds.length > 0) {
      await target.install([...new Set(crds.map(({ path }) => result.files.get(path) ?? ''))]);
      for (const { crd } of crds) asGenerated.add(crd.metadata?.name ?? '');
    }
    samplesChecked = await checkSamples(projectDir, crds, asGenerated, target.client, problems, io);
  } finally {
    await target.close();
  }
  if (problems.length > 0) {
    throw new UserError(
      `kubeforge manifests --check: ${target.label} rejects ${problems.length === 1 ? 'this' : `these ${problems.length}`}:\n  ${problems.join('\n  ')}`,
      { hint: 'nothing was written (dry run); fix the types, markers or samples named above' },
    );
  }
  io.print(
    `checked ${crds.length} CRD(s) and ${samplesChecked} sample(s) against ${target.label} (dry run): no rejections`,
  );
}

function crdFiles(result: ManifestsResult): CrdFile[] {
  return [...result.files]
    .flatMap(([path, text]) =>
      parseAllDocuments(text).map((document) => ({ path, crd: document.toJS() as CrdFile['crd'] })),
    )
    .filter(({ crd }) => crd?.kind === 'CustomResourceDefinition');
}

/** Dry-run create, or dry-run update when the object exists; a 400/422 is a rejection, anything else an error. */
async function dryRun(client: DirectClient, kind: ObjectKind, object: KubeObject): Promise<DryRun> {
  const { ApiError } = await import('../runtime/index.js');
  const metadata = object.metadata ?? {};
  try {
    const existing = metadata.name
      ? await client.get(kind, { name: metadata.name, namespace: metadata.namespace })
      : undefined;
    const options = { dryRun: true, fieldValidation: 'Strict' as const };
    const stored = existing
      ? await client.update(
          kind,
          { ...object, metadata: { ...metadata, resourceVersion: existing.metadata?.resourceVersion } },
          options,
        )
      : await client.create(kind, object, options);
    return { accepted: true, stored, existing };
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 400 && error.status !== 422)) throw error;
    const causes = (error.details?.causes ?? []).map((cause) => ({
      field: cause.field || undefined,
      message: cause.message ?? '',
    }));
    return {
      accepted: false,
      causes: causes.length > 0 ? causes : [{ message: error.body?.message ?? error.message }],
    };
  }
}

/** The kind serving a sample: one of the generated CRDs, or whatever the cluster serves (a core kind). */
async function sampleKind(
  object: KubeObject,
  crds: CrdFile[],
  client: DirectClient,
): Promise<{ kind?: ObjectKind; crd?: string }> {
  const apiVersion = object.apiVersion ?? '';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const generated = crds.find(({ crd }) => crd.spec.group === group && crd.spec.names.kind === object.kind);
  if (generated) {
    const { crd } = generated;
    const kind: ObjectKind = {
      group,
      version,
      apiVersion,
      kind: crd.spec.names.kind,
      plural: crd.spec.names.plural,
      namespaced: crd.spec.scope === 'Namespaced',
    };
    return { kind, crd: crd.metadata?.name };
  }
  try {
    return { kind: await client.kindFor(apiVersion, object.kind ?? '') };
  } catch {
    return {};
  }
}

/** Dry-runs every object of `config/samples/*.yaml` (but kustomization.yaml); returns how many were checked. */
async function checkSamples(
  projectDir: string,
  crds: CrdFile[],
  asGenerated: Set<string>,
  client: DirectClient,
  problems: string[],
  io: CliIO,
): Promise<number> {
  const { sampleLine } = await import('../codegen/index.js');
  let files: string[];
  try {
    files = readdirSync(join(projectDir, SAMPLES_DIR))
      .filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml')
      .sort();
  } catch {
    return 0;
  }
  let checked = 0;
  for (const file of files) {
    const path = join(SAMPLES_DIR, file);
    const lines = new LineCounter();
    for (const document of parseAllDocuments(readFileSync(join(projectDir, path), 'utf8'), { lineCounter: lines })) {
      const object = document.toJS() as KubeObject | null;
      if (!object?.apiVersion || !object.kind) continue;
      const label = `${object.kind} ${object.metadata?.name ?? '(no name)'}`;
      const at = (field: string) => `${path}:${sampleLine(document, lines, field)}`;
      const { kind, crd } = await sampleKind(object, crds, client);
      if (!kind) {
        problems.push(`${at('kind')}: ${label}: the cluster serves no ${object.kind} in ${object.apiVersion}`);
        continue;
      }
      if (crd && !asGenerated.has(crd)) {
        io.printError(
          `note: ${path}: ${label} not checked: the cluster does not serve CRD ${crd} as generated (install it, or check with --envtest)`,
        );
        continue;
      }
      const namespace = kind.namespaced ? (object.metadata?.namespace ?? 'default') : undefined;
      const outcome = await dryRun(client, kind, { ...object, metadata: { ...object.metadata, namespace } });
      checked++;
      if (outcome.accepted) continue;
      for (const cause of outcome.causes) {
        const field = cause.field ?? /unknown field "([^"]+)"/.exec(cause.message)?.[1] ?? '';
        problems.push(`${at(field)}: ${label}: ${cause.field ? `${cause.field}: ` : ''}${cause.message}`);
      }
    }
  }
  return checked;
}
