/**
 * `useExistingCluster` / `USE_EXISTING_CLUSTER=true`: envtest connects to the cluster of
 * KUBECONFIG — here the run's shared control plane — starts nothing, installs webhooks into it and
 * removes them on stop, leaving the cluster running.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../src/envtest/index.js';
import {
  CustomResourceDefinition,
  MutatingWebhookConfiguration,
  Namespace,
  newClient,
} from '../../src/runtime/index.js';
import { testKubeconfigPath, testRestConfig } from '../support/cluster.js';

const saved = { KUBECONFIG: process.env.KUBECONFIG, USE_EXISTING_CLUSTER: process.env.USE_EXISTING_CLUSTER };

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const configuration = (name: string) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: { name },
  webhooks: [
    {
      name: 'mexisting.kubeforge.io',
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      failurePolicy: 'Ignore',
      clientConfig: { service: { name: 'webhook-service', namespace: 'system', path: '/mutate-existing' } },
      rules: [
        { apiGroups: ['none.kubeforge.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['nothing'] },
      ],
    },
  ],
});

describe('useExistingCluster', () => {
  it('uses the cluster of KUBECONFIG when USE_EXISTING_CLUSTER=true, installs webhooks there and removes them on stop', async () => {
    process.env.KUBECONFIG = testKubeconfigPath();
    process.env.USE_EXISTING_CLUSTER = 'TRUE';
    const name = `existing-${process.pid}`;
    const existing = await startControlPlane({ webhookInstallOptions: { configurations: [configuration(name)] } });
    const admin = newClient(testRestConfig());
    try {
      expect(existing.existingCluster).toBe(true);
      expect(existing.restConfig.server).toBe(testRestConfig().server);
      expect(existing.kubeconfigPath).toBe(testKubeconfigPath());
      expect(existing.pids()).toEqual({});
      expect(() => existing.etcdUrl).toThrow(/existing cluster is not envtest's/);
      await expect(existing.addUser({ name: 'bob' })).rejects.toThrow(/cannot sign a user's certificate/);
      const installed = await admin.get(MutatingWebhookConfiguration, { name });
      expect(installed?.webhooks?.[0].clientConfig.url).toBe(
        `https://127.0.0.1:${existing.webhookInstallOptions!.localServingPort}/mutate-existing`,
      );
    } finally {
      await existing.stop();
    }
    try {
      expect(await admin.get(MutatingWebhookConfiguration, { name })).toBeUndefined();
      // The shared control plane still serves.
      expect((await admin.get(Namespace, { name: 'default' }))?.metadata?.name).toBe('default');
    } finally {
      admin.close();
    }
  });

  it('an explicit useExistingCluster: false starts a control plane of its own despite the variable', async () => {
    process.env.KUBECONFIG = testKubeconfigPath();
    process.env.USE_EXISTING_CLUSTER = 'true';
    await expect(
      startControlPlane({ useExistingCluster: false, assetsDir: '/nonexistent-kubeforge-assets' }),
    ).rejects.toThrow('envtest assets directory /nonexistent-kubeforge-assets has no');
  });

  it('installs CRDs with credentials given as files (a minikube-style kubeconfig)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-existing-'));
    const { server, caData, certData, keyData } = testRestConfig();
    for (const [file, pem] of Object.entries({ 'ca.crt': caData, 'client.crt': certData, 'client.key': keyData }))
      writeFileSync(join(dir, file), pem!);
    writeFileSync(
      join(dir, 'kubeconfig'),
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server, 'certificate-authority': join(dir, 'ca.crt') } }],
        users: [
          { name: 'u', user: { 'client-certificate': join(dir, 'client.crt'), 'client-key': join(dir, 'client.key') } },
        ],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    mkdirSync(join(dir, 'crds'));
    const name = `things${process.pid}.existing.kubeforge.io`;
    writeFileSync(
      join(dir, 'crds', 'thing.yaml'),
      stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name },
        spec: {
          group: 'existing.kubeforge.io',
          names: { kind: `Thing${process.pid}`, plural: `things${process.pid}` },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      }),
    );
    process.env.KUBECONFIG = join(dir, 'kubeconfig');
    const admin = newClient(testRestConfig());
    try {
      const existing = await startControlPlane({ useExistingCluster: true, crdDirectoryPaths: [join(dir, 'crds')] });
      await existing.stop();
      expect((await admin.get(CustomResourceDefinition, { name }))?.status?.conditions).toContainEqual(
        expect.objectContaining({ type: 'Established', status: 'True' }),
      );
    } finally {
      await admin.delete(CustomResourceDefinition, { name });
      admin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the cluster it could not reach', async () => {
    process.env.KUBECONFIG = '/nonexistent/kubeconfig';
    await expect(startControlPlane({ useExistingCluster: true })).rejects.toThrow(
      /useExistingCluster: cannot read the kubeconfig/,
    );
  });
});
