/*
Copyright 2026 The microservice-operator Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

import { loadAllYaml, type V1Condition } from '@kubernetes/client-node';
import { startControlPlane, type ControlPlane } from 'kubeforge/envtest';
import { isAlreadyExists, newClient, type KubeObject } from 'kubeforge/runtime';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** An object whose controller reports in status conditions, as the scaffolded controllers do. */
type Reported = KubeObject & { status?: { conditions?: V1Condition[] } };

// The built operator (dist/src/main.js) as a process against a real etcd + kube-apiserver with the
// CRDs installed: it becomes ready, reconciles every sample in config/samples/, stops on SIGTERM.
describe('operator process', () => {
  let controlPlane: ControlPlane;
  let operator: ChildProcess;
  let healthPort: number;
  let logs = '';

  beforeAll(async () => {
    const crds = existsSync('config/crd/bases') ? ['config/crd/bases'] : [];
    controlPlane = await startControlPlane({ crdDirectoryPaths: crds });
    healthPort = await freePort();
    operator = spawn(
      process.execPath,
      [
        'dist/src/main.js',
        `--kubeconfig=${controlPlane.kubeconfigPath}`,
        '--metrics-bind-address=0',
        `--health-probe-bind-address=127.0.0.1:${healthPort}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    operator.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    operator.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  });

  afterAll(async () => {
    if (operator?.exitCode === null) operator.kill('SIGKILL');
    await controlPlane?.stop();
  });

  it('becomes ready', async () => {
    await eventually('the operator to report ready', async () => {
      const response = await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined);
      return response?.status === 200;
    });
  });

  it('reconciles every sample in config/samples', async () => {
    const client = newClient(controlPlane.restConfig);
    const all = samples();
    expect(all, 'config/samples has no sample: `kubeforge create api` adds one per API').not.toEqual([]);
    for (const sample of all) {
      const kind = await client.kindFor(sample.apiVersion ?? '', sample.kind ?? '');
      const key = { name: sample.metadata?.name ?? '', ...(kind.namespaced ? { namespace: 'default' } : {}) };
      await client.create(kind, { ...sample, metadata: { ...sample.metadata, ...key } }).catch((error: unknown) => {
        if (!isAlreadyExists(error)) throw error;
      });
      // The controller reports on the generation it reconciled in the object's status conditions.
      await eventually(`a status condition of ${sample.kind} ${key.name} at its current generation`, async () => {
        const stored = (await client.get(kind, key)) as Reported | undefined;
        const generation = stored?.metadata?.generation;
        const conditions = stored?.status?.conditions ?? [];
        return generation !== undefined && conditions.some((condition) => condition.observedGeneration === generation);
      });
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => operator.once('exit', (code) => resolve(code)));
    operator.kill('SIGTERM');
    expect(await exited, logs).toBe(0);
  });
});

function samples(): KubeObject[] {
  const dir = 'config/samples';
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .flatMap((file) => loadAllYaml(readFileSync(`${dir}/${file}`, 'utf8')) as KubeObject[]);
}

async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
