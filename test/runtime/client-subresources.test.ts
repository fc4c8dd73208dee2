/**
 * Subresource clients (scale, eviction, token, approval), the namespaced client and field
 * validation, against the shared control plane.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type {
  AuthenticationV1TokenRequest,
  V1CertificateSigningRequest,
  V1Eviction,
  V1Scale,
  V1TokenReview,
} from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCRDDocuments } from '../../src/envtest/crds.js';
import { ApiError, isNotFound, newNamespacedClient } from '../../src/runtime/client/index.js';
import {
  ConfigMap,
  defineKind,
  Deployment,
  Namespace,
  newClient,
  Pod,
  ServiceAccount,
  type DirectClient,
  type KubeObject,
} from '../../src/runtime/index.js';
import { newKeyPair } from '../../src/runtime/serving/index.js';
import {
  bitString,
  integer,
  objectIdentifier,
  pem,
  sequence,
  set,
  tlv,
  utf8String,
} from '../../src/runtime/serving/der.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';

interface Scalable extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}
const ScalableKind = defineKind<Scalable>({
  group: 'scale.kubeforge.io',
  version: 'v1',
  kind: 'Scalable',
  plural: 'scalables',
  namespaced: true,
});
const CertificateSigningRequest = defineKind<V1CertificateSigningRequest>({
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  plural: 'certificatesigningrequests',
  namespaced: false,
});
const TokenReview = defineKind<V1TokenReview>({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenReview',
  plural: 'tokenreviews',
  namespaced: false,
});

let client: DirectClient;
let namespace: string;

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'subresource-test' });
  namespace = await createTestNamespace('subres');
  await installCRDDocuments(testRestConfig(), [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'scalables.scale.kubeforge.io' },
      spec: {
        group: 'scale.kubeforge.io',
        names: { kind: 'Scalable', plural: 'scalables', singular: 'scalable', listKind: 'ScalableList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: {
              status: {},
              scale: {
                specReplicasPath: '.spec.replicas',
                statusReplicasPath: '.status.replicas',
                labelSelectorPath: '.status.selector',
              },
            },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', properties: { replicas: { type: 'integer' } } },
                  status: {
                    type: 'object',
                    properties: { replicas: { type: 'integer' }, selector: { type: 'string' } },
                  },
                },
              },
            },
          },
        ],
      },
    } as never,
  ]);
});

afterAll(() => client?.close());

describe('scale subresource', () => {
  it('reads, updates and patches the scale of a Deployment', async () => {
    const labels = { app: 'scaled' };
    await client.create(Deployment, {
      metadata: { name: 'scaled', namespace },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    });
    const key = { namespace, name: 'scaled' };
    const scale = await client.subResource('scale').get<V1Scale>(Deployment, key);
    expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', spec: { replicas: 1 } });

    // Without a resourceVersion: the deployment controller writes the Deployment meanwhile.
    const updated = await client
      .subResource('scale')
      .update<V1Scale>(Deployment, key, { metadata: { name: 'scaled', namespace }, spec: { replicas: 3 } });
    expect(updated.spec?.replicas).toBe(3);
    expect((await client.get(Deployment, key))?.spec?.replicas).toBe(3);

    await client
      .subResource('scale')
      .patch<V1Scale>(Deployment, key, { type: 'merge', body: { spec: { replicas: 2 } } });
    expect((await client.get(Deployment, key))?.spec?.replicas).toBe(2);
  });

  it('scales a custom resource through its CRD scale subresource', async () => {
    const key = { namespace, name: 'custom' };
    await client.create(ScalableKind, { metadata: key, spec: { replicas: 1 } });
    await client
      .status()
      .patch(ScalableKind, key, { type: 'merge', body: { status: { replicas: 1, selector: 'a=b' } } });
    const scale = await client.subResource('scale').get<V1Scale>(ScalableKind, key);
    expect(scale).toMatchObject({ spec: { replicas: 1 }, status: { replicas: 1, selector: 'a=b' } });
    await client.subResource('scale').update<V1Scale>(ScalableKind, key, { ...scale, spec: { replicas: 5 } });
    expect((await client.get(ScalableKind, key))?.spec?.replicas).toBe(5);
  });

  it('names the subresource and the object in errors', async () => {
    const error = await client
      .subResource('scale')
      .get(Deployment, { namespace, name: 'missing' })
      .catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    expect((error as Error).message).toContain(`get scale of Deployment.apps/v1 "${namespace}/missing"`);
    expect(() => client.subResource('Scale!')).toThrow(/no subresource name/);
  });
});

describe('eviction, token and approval subresources', () => {
  it('evicts a Pod', async () => {
    const key = { namespace, name: 'evicted' };
    await client.create(Pod, { metadata: key, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    await client
      .subResource('eviction')
      .create<V1Eviction>(Pod, key, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: key });
    expect(await client.get(Pod, key)).toBeUndefined();
  });

  it('requests a ServiceAccount token the apiserver then authenticates', async () => {
    const key = { namespace, name: 'robot' };
    await client.create(ServiceAccount, { metadata: key });
    const request = await client.subResource('token').create<AuthenticationV1TokenRequest>(ServiceAccount, key, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [], expirationSeconds: 600 },
    });
    expect(request.status?.token).toBeTruthy();
    const review = await client.create(TokenReview, { spec: { token: request.status!.token } });
    expect(review.status).toMatchObject({
      authenticated: true,
      user: { username: `system:serviceaccount:${namespace}:robot` },
    });
  });

  it('approves a CertificateSigningRequest', async () => {
    const name = `approval-${namespace}`;
    const csr = await client.create(CertificateSigningRequest, {
      metadata: { name },
      spec: {
        request: Buffer.from(await certificateRequestPem('approval-user')).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
      },
    });
    const approved = await client.subResource('approval').update(
      CertificateSigningRequest,
      { name },
      {
        ...csr,
        status: {
          conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'approved by the test' }],
        },
      },
    );
    expect(approved.status?.conditions?.[0]).toMatchObject({ type: 'Approved', status: 'True' });
    const read = await client.get(CertificateSigningRequest, { name });
    expect(read?.status?.conditions?.map((c) => c.type)).toEqual(['Approved']);
    await client.delete(CertificateSigningRequest, { name });
  });
});

describe('namespaced client', () => {
  it('fills the namespace of namespaced kinds and passes cluster-scoped ones through', async () => {
    const scoped = newNamespacedClient(client, namespace);
    const created = await scoped.create(ConfigMap, { metadata: { name: 'scoped' }, data: { a: '1' } });
    expect(created.metadata?.namespace).toBe(namespace);
    expect((await scoped.get(ConfigMap, { name: 'scoped' }))?.data).toEqual({ a: '1' });
    expect((await scoped.list(ConfigMap)).map((c) => c.metadata?.namespace)).toContain(namespace);
    expect((await scoped.list(ConfigMap)).every((c) => c.metadata?.namespace === namespace)).toBe(true);
    expect((await scoped.get(Namespace, { name: namespace }))?.metadata?.name).toBe(namespace);
    await scoped.patch(ConfigMap, { name: 'scoped' }, { type: 'merge', body: { data: { a: '2' } } });
    expect((await client.get(ConfigMap, { namespace, name: 'scoped' }))?.data).toEqual({ a: '2' });
    expect(await scoped.delete(ConfigMap, { name: 'scoped' })).toBe(true);
  });

  it('refuses an object or key in another namespace before any request', async () => {
    const scoped = newNamespacedClient(client, namespace);
    await expect(scoped.create(ConfigMap, { metadata: { name: 'elsewhere', namespace: 'default' } })).rejects.toThrow(
      `namespace default of the object elsewhere does not match the namespace ${namespace} on the client`,
    );
    await expect(scoped.get(ConfigMap, { namespace: 'default', name: 'x' })).rejects.toThrow(/does not match/);
    expect(await client.get(ConfigMap, { namespace: 'default', name: 'elsewhere' })).toBeUndefined();
  });

  it('binds subresource clients to the namespace', async () => {
    const scoped = newNamespacedClient(client, namespace);
    const scale = await scoped.subResource('scale').get<V1Scale>(Deployment, { name: 'scaled' });
    expect(scale.metadata?.namespace).toBe(namespace);
  });
});

describe('field validation', () => {
  it('Strict refuses an unknown field, per request and as the client default', async () => {
    const unknown = { metadata: { name: 'strict', namespace }, data: { a: '1' }, bogus: true } as never;
    const perRequest = await client.create(ConfigMap, unknown, { fieldValidation: 'Strict' }).catch((e) => e);
    expect(perRequest).toBeInstanceOf(ApiError);
    expect((perRequest as ApiError).status).toBe(400);
    expect((perRequest as Error).message).toContain('unknown field "bogus"');

    const strict = newClient(testRestConfig(), { fieldValidation: 'Strict' });
    try {
      const byDefault = await strict.create(ConfigMap, unknown).catch((e) => e);
      expect((byDefault as ApiError).status).toBe(400);
      await strict.create(ConfigMap, { metadata: { name: 'strict', namespace } });
      const patched = await strict
        .patch(ConfigMap, { namespace, name: 'strict' }, { type: 'merge', body: { bogus: true } })
        .catch((e) => e);
      expect((patched as ApiError).status).toBe(422);
      expect((patched as Error).message).toContain('unknown field "bogus"');
      await strict.delete(ConfigMap, { namespace, name: 'strict' });
      // Ignore drops the field and writes the rest.
      const ignored = await strict.create(ConfigMap, unknown, { fieldValidation: 'Ignore' });
      expect(ignored.data).toEqual({ a: '1' });
    } finally {
      strict.close();
    }
  });
});

describe('field validation warnings', () => {
  it('Warn writes without the unknown field and surfaces the apiserver warning through the client logger', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const warned = newClient(testRestConfig(), { fieldValidation: 'Warn', logger });
    try {
      const unknown = { metadata: { name: 'warned', namespace }, data: { a: '1' }, bogus: true } as never;
      const created = await warned.create(ConfigMap, unknown);
      expect(created.data).toEqual({ a: '1' });
      expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
        expect.stringContaining('unknown field "bogus"'),
      ]);
    } finally {
      warned.close();
    }
  });
});

/** A PKCS#10 certificate request (RFC 2986) for `commonName` with a fresh P-256 key. */
async function certificateRequestPem(commonName: string): Promise<string> {
  const keys = await newKeyPair();
  const subject = sequence(set(sequence(objectIdentifier('2.5.4.3'), utf8String(commonName))));
  const publicKeyInfo = createPublicKey(keys.publicKey).export({ format: 'der', type: 'spki' });
  const info = sequence(integer(Buffer.from([0])), subject, publicKeyInfo, tlv(0xa0, Buffer.alloc(0)));
  const signature = sign('sha256', info, createPrivateKey(keys.privateKey));
  return pem(
    'CERTIFICATE REQUEST',
    sequence(info, sequence(objectIdentifier('1.2.840.10045.4.3.2')), bitString(signature)),
  );
}
