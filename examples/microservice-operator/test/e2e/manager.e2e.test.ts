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

import { loadAllYaml, type V1Condition, type V1MutatingWebhookConfiguration } from '@kubernetes/client-node';
import { createCertificateAuthority, issueCertificate, startControlPlane, type ControlPlane } from 'kubeforge/envtest';
import { isAlreadyExists, newClient, type KubeObject, type ObjectKind } from 'kubeforge/runtime';
import { registerLocalWebhooks } from 'kubeforge/runtime/webhook';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** An object whose controller reports in status conditions, as the scaffolded controllers do. */
type Reported = KubeObject & { status?: { conditions?: V1Condition[] } };

const WEBHOOK_MANIFESTS = 'config/webhook/manifests.yaml';

// The built operator (dist/src/main.js) as a process against a real etcd + kube-apiserver with the
// CRDs installed: it becomes ready, reconciles every sample in config/samples/, stops on SIGTERM.
// With webhooks (config/webhook/manifests.yaml, written by `npm run manifests`) it serves them with
// a throw-away certificate and the apiserver calls them, as under `kubeforge run --webhooks`.
describe('operator process', () => {
  const webhookConfigurations = existsSync(WEBHOOK_MANIFESTS)
    ? (loadAllYaml(readFileSync(WEBHOOK_MANIFESTS, 'utf8')) as KubeObject[]).filter(Boolean)
    : [];
  let controlPlane: ControlPlane;
  let operator: ChildProcess;
  let healthPort: number;
  let certDir: string | undefined;
  let logs = '';

  beforeAll(async () => {
    // config/crd/external: CRDs of kinds defined elsewhere that controllers watch (create api --external-api-path).
    const crds = ['config/crd/bases', 'config/crd/external'].filter((dir) => existsSync(dir));
    controlPlane = await startControlPlane({ crdDirectoryPaths: crds });
    healthPort = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    let caPem = '';
    let webhookPort = 0;
    if (webhookConfigurations.length > 0) {
      certDir = await mkdtemp(join(tmpdir(), 'e2e-webhook-certs-'));
      caPem = await writeServingCertificate(certDir);
      webhookPort = await freePort();
      Object.assign(env, {
        KUBEFORGE_WEBHOOK_HOST: '127.0.0.1',
        KUBEFORGE_WEBHOOK_PORT: String(webhookPort),
        KUBEFORGE_WEBHOOK_CERT_DIR: certDir,
      });
    }
    operator = spawn(
      process.execPath,
      [
        'dist/src/main.js',
        `--kubeconfig=${controlPlane.kubeconfigPath}`,
        '--metrics-bind-address=0',
        `--health-probe-bind-address=127.0.0.1:${healthPort}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env },
    );
    operator.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    operator.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    if (webhookConfigurations.length > 0) {
      // The apiserver calls the operator's webhook server at 127.0.0.1 instead of the in-cluster Service.
      await registerLocalWebhooks(newClient(controlPlane.restConfig), {
        baseUrl: `https://127.0.0.1:${webhookPort}`,
        caPem,
        configurations: webhookConfigurations,
      });
    }
  });

  afterAll(async () => {
    if (operator?.exitCode === null) operator.kill('SIGKILL');
    await controlPlane?.stop();
    if (certDir) await rm(certDir, { recursive: true, force: true });
  });

  it('becomes ready', async () => {
    await eventually('the operator to report ready', async () => {
      const response = await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined);
      return response?.status === 200;
    });
  });

  it.skipIf(webhookConfigurations.length === 0)('defaults samples through the mutating webhooks', async (ctx) => {
    const client = newClient(controlPlane.restConfig);
    const defaulted = [];
    for (const sample of samples()) {
      const kind = await client.kindFor(sample.apiVersion ?? '', sample.kind ?? '');
      if (!mutatedByWebhook(webhookConfigurations, kind)) continue;
      // A server dry run of the sample without its spec: the apiserver calls the defaulting webhook.
      const name = `${sample.metadata?.name ?? ''}-defaulted`;
      const object = { ...sample, metadata: { name, ...(kind.namespaced ? { namespace: 'default' } : {}) } };
      delete (object as { spec?: unknown }).spec;
      const created = (await client.create(kind, object, { dryRun: true })) as KubeObject & { spec?: object };
      // TODO(user): the default the scaffolded defaulter sets; change it with your defaulting logic.
      expect(created.spec, `${sample.kind} ${name}`).toMatchObject({ foo: 'default' });
      defaulted.push(sample.kind);
    }
    // Webhooks only for kinds defined elsewhere (a Pod webhook): their envtest tests check them.
    if (defaulted.length === 0) ctx.skip('no sample in config/samples has a defaulting webhook');
  });

  // Skipped in a project without APIs of its own (controllers only for built-in or external kinds).
  it.skipIf(samples().length === 0)('reconciles every sample in config/samples', async () => {
    const client = newClient(controlPlane.restConfig);
    for (const sample of samples()) {
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

/** Whether a MutatingWebhookConfiguration has a rule for `kind` (its group and plural). */
function mutatedByWebhook(configurations: KubeObject[], kind: ObjectKind): boolean {
  return configurations
    .filter((configuration) => configuration.kind === 'MutatingWebhookConfiguration')
    .flatMap((configuration) => (configuration as V1MutatingWebhookConfiguration).webhooks ?? [])
    .flatMap((webhook) => webhook.rules ?? [])
    .some((rule) => rule.apiGroups?.includes(kind.group) && rule.resources?.includes(kind.plural));
}

/** A throw-away CA and a serving certificate for 127.0.0.1 in `dir` (tls.crt, tls.key); returns the CA PEM. */
async function writeServingCertificate(dir: string): Promise<string> {
  const ca = await createCertificateAuthority('e2e-webhook-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'e2e-webhook',
    usage: 'server',
    ipAddresses: ['127.0.0.1'],
  });
  await writeFile(join(dir, 'tls.key'), serving.key, { mode: 0o600 });
  await writeFile(join(dir, 'tls.crt'), serving.cert);
  return ca.cert;
}

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
