/**
 * envtest's `addUser` (RBAC tests) and `webhookInstallOptions` (the apiserver calls a webhook the
 * test serves), on a control plane of this file's own: the shared one's CA key is not handed out.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/envtest/index.js';
import { isForbidden } from '../../src/runtime/client/index.js';
import { ConfigMap, Namespace, newClient, Role, RoleBinding, type DirectClient } from '../../src/runtime/index.js';
import { defaultingHandler, WebhookServer } from '../../src/runtime/webhook/index.js';
import { testAssetsDir } from '../support/cluster.js';

const manifestsDir = mkdtempSync(join(tmpdir(), 'kubeforge-webhook-manifests-'));
const webhookConfiguration = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: { name: 'mutating-webhook-configuration' },
  webhooks: [
    {
      name: 'mconfigmap.kubeforge.io',
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      failurePolicy: 'Fail',
      clientConfig: { service: { name: 'webhook-service', namespace: 'system', path: '/mutate-v1-configmap' } },
      rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
      namespaceSelector: { matchLabels: { webhooks: 'on' } },
    },
  ],
};

let controlPlane: ControlPlane;
let admin: DirectClient;

beforeAll(async () => {
  // As `kubeforge manifests` writes it: a manifests.yaml among other files of config/webhook.
  writeFileSync(join(manifestsDir, 'manifests.yaml'), stringify(webhookConfiguration));
  writeFileSync(join(manifestsDir, 'kustomization.yaml'), stringify({ resources: ['manifests.yaml'] }));
  controlPlane = await startControlPlane({
    assetsDir: testAssetsDir(),
    webhookInstallOptions: { paths: [manifestsDir] },
  });
  admin = newClient(controlPlane.restConfig);
});

afterAll(async () => {
  admin?.close();
  await controlPlane?.stop();
  rmSync(manifestsDir, { recursive: true, force: true });
});

describe('addUser', () => {
  it('gives a user without rights 403, and 200 once a RoleBinding grants them', async () => {
    await admin.create(Namespace, { metadata: { name: 'rbac' } });
    await admin.create(ConfigMap, { metadata: { name: 'visible', namespace: 'rbac' } });
    const user = await controlPlane.addUser({ name: 'alice', groups: ['testers'] });
    expect(user.kubeconfig).toContain('client-certificate-data');
    const alice = newClient(user.restConfig);
    try {
      const denied = await alice.list(ConfigMap, { namespace: 'rbac' }).catch((e: unknown) => e);
      expect(isForbidden(denied)).toBe(true);
      expect((denied as Error).message).toContain('User "alice" cannot list resource "configmaps"');

      await admin.create(Role, {
        metadata: { name: 'read-configmaps', namespace: 'rbac' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
      });
      // Bound to the group: proves the certificate carries it.
      await admin.create(RoleBinding, {
        metadata: { name: 'testers-read', namespace: 'rbac' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-configmaps' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'testers' }],
      });
      // RBAC reads bindings from an informer: poll until the grant is seen.
      let listed: V1ConfigMap[] | undefined;
      for (let attempt = 0; !listed && attempt < 200; attempt++) {
        listed = await alice.list(ConfigMap, { namespace: 'rbac' }).catch((e: unknown) => {
          if (!isForbidden(e)) throw e;
          return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50));
        });
      }
      expect(listed?.map((c) => c.metadata?.name)).toEqual(['visible']);
      const stillDenied = await alice.create(ConfigMap, { metadata: { name: 'x', namespace: 'rbac' } }).catch((e) => e);
      expect(isForbidden(stillDenied)).toBe(true);
    } finally {
      alice.close();
    }
  });
});

describe('webhookInstallOptions', () => {
  it('installs the configurations from config/webhook pointed at a local server the apiserver calls', async () => {
    const installed = controlPlane.webhookInstallOptions!;
    expect(installed.configurationNames).toEqual(['mutating-webhook-configuration']);
    const server = new WebhookServer(installed.serverOptions());
    server.register(
      '/mutate-v1-configmap',
      defaultingHandler<V1ConfigMap>({
        default(object) {
          object.data = { ...object.data, defaulted: 'by-the-webhook' };
        },
      }),
    );
    const stop = new AbortController();
    const serving = server.start(stop.signal);
    try {
      await admin.create(Namespace, { metadata: { name: 'hooked', labels: { webhooks: 'on' } } });
      // The server may still be binding: with failurePolicy Fail a create fails until it serves.
      let created: V1ConfigMap | undefined;
      for (let attempt = 0; !created && attempt < 200; attempt++) {
        created = await admin
          .create(ConfigMap, { metadata: { name: `called-${attempt}`, namespace: 'hooked' }, data: { a: '1' } })
          .catch(() => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50)));
      }
      expect(created?.data).toEqual({ a: '1', defaulted: 'by-the-webhook' });
      const configuration = (await admin.kindFor('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'))!;
      const stored = (await admin.get(configuration, { name: 'mutating-webhook-configuration' })) as {
        webhooks: { clientConfig: { url?: string; service?: unknown } }[];
      };
      expect(stored.webhooks[0].clientConfig).toEqual(
        expect.objectContaining({ url: `https://127.0.0.1:${installed.localServingPort}/mutate-v1-configmap` }),
      );
      expect(stored.webhooks[0].clientConfig.service).toBeUndefined();
    } finally {
      stop.abort();
      await serving;
    }
  });

  it('fails the start on a missing path unless told to ignore it', async () => {
    const missing = join(manifestsDir, 'nope');
    await expect(
      startControlPlane({ assetsDir: testAssetsDir(), webhookInstallOptions: { paths: [missing] } }),
    ).rejects.toThrow(`webhookInstallOptions.paths: ${missing} does not exist`);
  });
});
