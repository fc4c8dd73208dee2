/**
 * `npm run dev` (`kubeforge run --watch`) in a generated, installed project against the shared control plane: a
 * field added to the types reaches the CRD on the apiserver; a controller change (a label set on
 * the object) is observed on a Ledger after the restart; a marker error is printed and the last
 * good operator keeps reconciling. The restart lines carry the save-to-restart time.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterRole,
  CustomResourceDefinition,
  defineKind,
  newClient,
  type DirectClient,
} from '../../src/runtime/index.js';
import { createTestNamespace, testKubeconfigPath, testRestConfig } from '../support/cluster.js';
import { until } from '../runtime/harness.js';
import { scaffoldInstalledProject, useWorkspace } from './cli-harness.js';

const TEN_MINUTES = 600_000;
const Ledger = defineKind({
  group: 'devloop.example.com',
  version: 'v1',
  kind: 'Ledger',
  plural: 'ledgers',
  namespaced: true,
});
const CRD = 'ledgers.devloop.example.com';
const ROLE = 'devloop-manager-role';

describe('kubeforge run --watch (npm run dev)', () => {
  const ws = useWorkspace('dev-loop', { once: true, name: 'devloop' });
  let client: DirectClient;
  let namespace: string;
  let output = '';
  let stopLoop: (() => Promise<void>) | undefined;
  const typesFile = () => join(ws.project, 'api/v1/ledger.types.ts');
  const controllerFile = () => join(ws.project, 'src/controllers/ledger.controller.ts');
  const after = (mark: number) => output.slice(mark);
  /** `until`, whose failure carries the loop's recent output (what it did instead). */
  const untilLoop = (what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) =>
    until(what, check, timeoutMs).catch((error: Error) => {
      throw new Error(`${error.message}\n--- dev loop output (last 6000 characters) ---\n${output.slice(-6000)}`);
    });

  beforeAll(async () => {
    await scaffoldInstalledProject(ws.project, [
      ['create', 'api', '--group', 'devloop', '--version', 'v1', '--kind', 'Ledger', '--make=false'],
    ]);
    client = newClient(testRestConfig());
    namespace = await createTestNamespace('dev-loop');
    // As if the operator were deployed (config/default prefixes names with the project's): the loop keeps its role current.
    await client.create(ClusterRole, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: ROLE },
      rules: [],
    });
    // The project's own `npm run dev` (= kubeforge run --watch), as its README says to run it.
    const child = spawn('npm', ['run', 'dev'], {
      cwd: ws.project,
      env: { ...process.env, KUBECONFIG: testKubeconfigPath() },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    stopLoop = async () => {
      process.kill(-child.pid!, 'SIGINT'); // the terminal's Ctrl-C: npm and kubeforge both get it
      await exited;
    };
    await untilLoop('the dev loop started', () => output.includes('[dev] operator started'), 120_000);
  }, TEN_MINUTES);
  afterAll(async () => {
    await stopLoop?.();
    await client?.delete(CustomResourceDefinition, { name: CRD });
    await client?.delete(ClusterRole, { name: ROLE });
    client?.close();
  });

  it('re-applies the CRD with a field added to the types', { timeout: TEN_MINUTES }, async () => {
    const text = await readFile(typesFile(), 'utf8');
    await writeFile(
      typesFile(),
      text.replace('export interface LedgerSpec {', 'export interface LedgerSpec {\n  owner?: string;'),
    );
    await untilLoop(
      'the CRD on the apiserver has spec.owner',
      async () => {
        const crd = await client.get(CustomResourceDefinition, { name: CRD });
        const spec = crd?.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.spec;
        return spec?.properties?.owner?.type === 'string';
      },
      120_000,
    );
    await untilLoop('the operator restarted', () => /\[dev\] operator restarted \(\d+ ms/.test(output), 120_000);
  });

  it('restarts with a changed controller, whose new behaviour is observed', { timeout: TEN_MINUTES }, async () => {
    await client.create(Ledger, {
      apiVersion: Ledger.apiVersion,
      kind: 'Ledger',
      metadata: { name: 'first', namespace },
    });
    const text = await readFile(controllerFile(), 'utf8');
    await writeFile(
      controllerFile(),
      text.replace(
        "    ctx.log.info({ generation }, 'reconciling Ledger');",
        "    ctx.log.info({ generation }, 'reconciling Ledger');\n" +
          "    if (ledger.metadata?.labels?.['dev-loop'] !== 'v2') {\n" +
          "      await this.client.patch(LedgerKind, request, { type: 'merge', body: { metadata: { labels: { 'dev-loop': 'v2' } } } });\n" +
          '    }',
      ),
    );
    await untilLoop(
      'the Ledger labelled by the new controller',
      async () => (await client.get(Ledger, { name: 'first', namespace }))?.metadata?.labels?.['dev-loop'] === 'v2',
      120_000,
    );
  });

  it(
    'updates the deployed manager ClusterRole when a controller gains an rbac marker',
    { timeout: TEN_MINUTES },
    async () => {
      const mark = output.length;
      const text = await readFile(controllerFile(), 'utf8');
      await writeFile(controllerFile(), `// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list\n${text}`);
      await untilLoop(
        `ClusterRole ${ROLE} allows listing configmaps`,
        async () =>
          (await client.get(ClusterRole, { name: ROLE }))?.rules?.some(
            (rule) => rule.resources?.includes('configmaps') && rule.verbs.includes('list'),
          ) ?? false,
        120_000,
      );
      await untilLoop('the operator restarted', () => after(mark).includes('[dev] operator restarted'), 120_000);
    },
  );

  it('prints a marker error and keeps the last good operator reconciling', { timeout: TEN_MINUTES }, async () => {
    const mark = output.length;
    const text = await readFile(typesFile(), 'utf8');
    await writeFile(
      typesFile(),
      text.replace('  owner?: string;', '  // +kubebuilder:validation:MinLength=many\n  owner?: string;'),
    );
    await untilLoop(
      'the marker error shown',
      () => after(mark).includes('manifests failed; the running operator is kept'),
      120_000,
    );
    expect(after(mark)).toMatch(/api\/v1\/ledger\.types\.ts:\d+/);
    await client.create(Ledger, {
      apiVersion: Ledger.apiVersion,
      kind: 'Ledger',
      metadata: { name: 'second', namespace },
    });
    await untilLoop(
      'the second Ledger labelled by the operator that kept running',
      async () => (await client.get(Ledger, { name: 'second', namespace }))?.metadata?.labels?.['dev-loop'] === 'v2',
      120_000,
    );
    expect(after(mark)).not.toContain('operator restarted');
  });
});
