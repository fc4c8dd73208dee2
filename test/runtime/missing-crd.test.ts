/**
 * A watched kind the apiserver does not serve, or may not be listed, is explained in one line — in
 * a real operator process (an esbuild bundle) against the shared control plane: the missing CRD
 * (`gadgets.<group>`, how to install it) once while the watcher keeps retrying, then the cache syncs
 * as soon as the CRD is installed; a cacheSyncTimeoutMs reached exits non-zero with that line; a
 * user without list rights gets the forbidden line naming the `+kubebuilder:rbac` marker to add.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCRDs } from '../../src/envtest/index.js';
import { CustomResourceDefinition, defineKind, newClient, type DirectClient } from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { schemalessCrd } from '../support/schemaless-crd.js';
import { bundle, until } from './harness.js';

let script: string;
let namespace: string;
let client: DirectClient;
const crdNames: string[] = [];

beforeAll(async () => {
  script = await bundle(fileURLToPath(new URL('./fixtures/missing-crd-operator.ts', import.meta.url)));
  namespace = await createTestNamespace('missing-crd');
  client = newClient(testRestConfig());
});
afterAll(async () => {
  for (const name of crdNames) await client.delete(CustomResourceDefinition, { name });
  client?.close();
});

/** A running operator process; `output` is its stdout and stderr as they arrive. */
function startOperator(env: Record<string, string>) {
  const child = spawn(process.execPath, [script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      KUBEFORGE_TEST_REST_CONFIG: JSON.stringify(testRestConfig()),
      WATCH_NAMESPACE: namespace,
      ...env,
    },
  });
  const operator = { output: '', exitCode: undefined as number | undefined };
  child.stdout.on('data', (chunk: Buffer) => (operator.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (operator.output += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve((operator.exitCode = code ?? 1))));
  const stop = async () => {
    if (operator.exitCode === undefined) child.kill('SIGTERM');
    await exited;
  };
  return Object.assign(operator, { exited, stop });
}

const group = () => `gadgets-${randomBytes(3).toString('hex')}.test.kubeforge.io`;
const STACK_FRAME = /^\s+at /m;
const failures = (output: string) => Number(/watch failure (\d+)\n(?![\s\S]*watch failure)/.exec(output)?.[1] ?? 0);

async function installGadgetCrd(gadgetGroup: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-gadget-crd-'));
  const name = `gadgets.${gadgetGroup}`;
  writeFileSync(
    join(dir, 'crd.yaml'),
    stringify(schemalessCrd({ group: gadgetGroup, kind: 'Gadget', plural: 'gadgets', singular: 'gadget' })),
  );
  crdNames.push(name);
  try {
    await installCRDs(testRestConfig(), [dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a watched kind the operator cannot list', () => {
  it('names the missing CRD once while retrying, then syncs when the CRD is installed', async () => {
    const gadgetGroup = group();
    const operator = startOperator({ WATCH_GROUP: gadgetGroup });
    try {
      await until('three failed lists', () => failures(operator.output) >= 3, 60_000);
      const explained = operator.output.split('\n').filter((line) => line.includes('is not installed'));
      expect(explained).toHaveLength(1);
      expect(explained[0]).toContain(
        `the apiserver has no gadgets.${gadgetGroup} for Gadget (${gadgetGroup}/v1): the CRD gadgets.${gadgetGroup} is not installed; ` +
          'install it with `npm run install-crds` / `make install` (or run the operator with `npx kubeforge run`)',
      );
      expect(operator.output).not.toMatch(STACK_FRAME);
      expect(operator.output).not.toContain('failed; retrying');

      await installGadgetCrd(gadgetGroup);
      const Gadget = defineKind({
        group: gadgetGroup,
        version: 'v1',
        kind: 'Gadget',
        plural: 'gadgets',
        namespaced: true,
      });
      await client.create(Gadget, {
        apiVersion: Gadget.apiVersion,
        kind: 'Gadget',
        metadata: { name: 'first', namespace },
      });
      await until('the Gadget reconciled', () => operator.output.includes('reconciled first'), 60_000);
      expect(operator.output.split('\n').filter((line) => line.includes('is not installed'))).toHaveLength(1);
      expect(operator.output).not.toMatch(STACK_FRAME);
    } finally {
      await operator.stop();
    }
  });

  it('exits non-zero with the missing-CRD line when cacheSyncTimeoutMs is reached', async () => {
    const gadgetGroup = group();
    const operator = startOperator({ WATCH_GROUP: gadgetGroup, CACHE_SYNC_TIMEOUT_MS: '2000' });
    const code = await operator.exited;
    expect(code).not.toBe(0);
    expect(operator.output).toContain(
      `timed out after 2000 ms waiting for caches to sync: the apiserver has no gadgets.${gadgetGroup} for Gadget`,
    );
  });

  it('names the verb, the resource and the rbac marker when the user may not list', async () => {
    const operator = startOperator({
      WATCH_KIND: 'ConfigMap',
      KUBEFORGE_TEST_REST_CONFIG: JSON.stringify({ ...testRestConfig(), impersonate: { userName: 'no-rights' } }),
    });
    try {
      await until('three failed lists', () => failures(operator.output) >= 3, 60_000);
      const explained = operator.output.split('\n').filter((line) => line.includes('forbidden to'));
      expect(explained).toHaveLength(1);
      expect(explained[0]).toContain(
        `forbidden to list configmaps (ConfigMap (v1)) in namespace ${namespace}: the operator's RBAC does not allow it; ` +
          'add // +kubebuilder:rbac:groups=core,resources=configmaps,verbs=get;list;watch to a controller',
      );
      expect(operator.output).not.toMatch(STACK_FRAME);
    } finally {
      await operator.stop();
    }
  });
});
