/**
 * Never silent, as a property (issue 13): for random API projects — random types, field names
 * (hostile ones too), nesting and markers from the registry with random, often invalid values —
 * `generateManifests` never crashes, and either fails with diagnostics that each name a real file
 * and a line inside it, or writes manifests the real apiserver accepts: every CRD, role and webhook
 * configuration passes a server-side dry-run create (`?dryRun=All`) on the shared control plane.
 * A second property draws specs of free-form fields only (`random-free-form.ts`), so unions,
 * one-ofs and CEL rules over free-form JSON reach the apiserver often.
 * The seed is fixed, so a run is repeatable; fast-check prints the seed and the failing case's path.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { generateManifests } from '../../src/codegen/index.js';
import { apiRequest } from '../../src/envtest/api-requests.js';
import { ManifestError, UserError } from '../../src/errors.js';
import { testRestConfig } from '../support/cluster.js';
import { freeFormProject } from './random-free-form.js';
import { randomProject, type RandomProject } from './random-project.js';

const SEED = 1_302_113;
const RUNS = 200;
const FREE_FORM_RUNS = 100;
const work = mkdtempSync(join(tmpdir(), 'kubeforge-property-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
function writeProject(project: RandomProject): string {
  const dir = join(work, `p${++counter}`);
  for (const [path, content] of Object.entries(project.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Every line of the message names a file of the project and a line inside it. */
function expectDiagnosticsInRange(error: ManifestError, project: RandomProject): void {
  const [, ...lines] = error.message.split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    const match = /^ {2}(.+?):(\d+): (.+)$/.exec(line);
    expect(match, `diagnostic line ${JSON.stringify(line)}`).not.toBeNull();
    const [, file, lineNumber] = match!;
    const content = project.files[file];
    expect(content, `${file} is a file of the project`).toBeDefined();
    expect(Number(lineNumber)).toBeGreaterThanOrEqual(1);
    expect(Number(lineNumber)).toBeLessThanOrEqual(content.split('\n').length);
  }
}

const ENDPOINTS: Record<string, (namespace?: string) => string> = {
  CustomResourceDefinition: () => '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  ClusterRole: () => '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  Role: (namespace) => `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles`,
  MutatingWebhookConfiguration: () => '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
  ValidatingWebhookConfiguration: () => '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
};

const namespaces = new Set<string>(['default']);
async function ensureNamespace(name: string): Promise<void> {
  if (namespaces.has(name)) return;
  const response = await apiRequest(testRestConfig(), 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  if (response.status !== 201 && response.status !== 409)
    throw new Error(`creating namespace ${name}: ${response.status} ${response.body}`);
  namespaces.add(name);
}

/** Server-side dry-run create of every document; resolves with the apiserver's refusals. */
async function dryRunCreate(files: Map<string, string>): Promise<string[]> {
  const refusals: string[] = [];
  for (const [path, text] of files) {
    // The YAML manifests; the TypeScript apply configurations are no objects to create.
    if (!path.endsWith('.yaml')) continue;
    for (const document of parseAllDocuments(text)) {
      const object = document.toJS() as { kind: string; metadata: { namespace?: string } };
      const namespace = object.metadata.namespace ?? 'default';
      if (object.kind === 'Role') await ensureNamespace(namespace);
      const response = await apiRequest(
        testRestConfig(),
        'POST',
        `${ENDPOINTS[object.kind](namespace)}?dryRun=All`,
        object,
      );
      if (response.status !== 201) refusals.push(`${path} (${object.kind}): ${response.status} ${response.body}`);
    }
  }
  return refusals;
}

/**
 * Runs the property over `projects`: each fails with in-range diagnostics or is accepted by the
 * apiserver; both outcomes must occur.
 */
async function neverSilent(projects: fc.Arbitrary<RandomProject>, runs: number): Promise<void> {
  let failed = 0;
  let written = 0;
  await fc.assert(
    fc.asyncProperty(projects, async (project) => {
      const projectDir = writeProject(project);
      const outcome = await generateManifests({ projectDir, kubeforgeVersion: '0.0.0-test' }).then(
        (result) => result,
        (error: unknown) => error,
      );
      if (outcome instanceof ManifestError) {
        failed++;
        expectDiagnosticsInRange(outcome, project);
        return;
      }
      if (outcome instanceof UserError || outcome instanceof Error) throw outcome;
      written++;
      const refusals = await dryRunCreate((outcome as Awaited<ReturnType<typeof generateManifests>>).files);
      expect(
        refusals,
        `accepted by kubeforge but refused by the apiserver:\n${JSON.stringify(project.files, null, 2)}`,
      ).toEqual([]);
    }),
    { seed: SEED, numRuns: runs, endOnFailure: true },
  );
  // Both outcomes occur, so the property is not vacuous on either side.
  expect(failed).toBeGreaterThan(0);
  expect(written).toBeGreaterThan(0);
}

describe('kubeforge manifests on random projects', () => {
  it(`fails with in-range file:line diagnostics or writes what the apiserver accepts (seed ${SEED}, ${RUNS} runs)`, async () => {
    await neverSilent(randomProject, RUNS);
  });

  it(`does so for specs of free-form fields: unions, one-ofs and CEL rules over them, Schemaless types (seed ${SEED}, ${FREE_FORM_RUNS} runs)`, async () => {
    await neverSilent(freeFormProject, FREE_FORM_RUNS);
  });
});
