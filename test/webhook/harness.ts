/**
 * Shared pieces of the webhook integration tests: a Gadget CRD with two versions (v1 the hub and
 * storage version, v2 a spoke with renamed fields) in a group of the test's own, serving
 * certificates for 127.0.0.1 written to a directory, and the webhook configurations
 * `kubeforge manifests` would generate for it, registered against the local server.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, type CertifiedKey } from '../../src/runtime/serving/index.js';
import {
  CustomResourceDefinition,
  defineKind,
  isNotFound,
  type DirectClient,
  type KubeObject,
  type ObjectKind,
  type RestConfig,
  type Manager,
} from '../../src/runtime/index.js';
import {
  registerLocalWebhooks,
  webhookPath,
  type LocalWebhooks,
  type WebhookServer,
  type WebhookServerOptions,
} from '../../src/runtime/webhook/index.js';
import { startManager, until, type RunningManager } from '../runtime/harness.js';

export interface GadgetV1 {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: { size?: number; color?: string; protected?: boolean };
}

export interface GadgetV2 {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: { replicas?: number; paint?: { color?: string }; protected?: boolean };
}

export function gadgetKinds(group: string): { v1: ObjectKind<GadgetV1>; v2: ObjectKind<GadgetV2> } {
  const base = { group, kind: 'Gadget', plural: 'gadgets', namespaced: true };
  return { v1: defineKind<GadgetV1>({ ...base, version: 'v1' }), v2: defineKind<GadgetV2>({ ...base, version: 'v2' }) };
}

/** Creates the Gadget CRD of `group` (v1 stored, v2 served) and waits until both versions are served. */
export async function installGadgetCrd(client: DirectClient, group: string): Promise<string> {
  const name = `gadgets.${group}`;
  const object = (properties: Record<string, unknown>) => ({
    openAPIV3Schema: {
      type: 'object',
      properties: { spec: { type: 'object', properties: { ...properties, protected: { type: 'boolean' } } } },
    },
  });
  await client.create(CustomResourceDefinition, {
    metadata: { name },
    spec: {
      group,
      names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: object({ size: { type: 'integer' }, color: { type: 'string' } }),
        },
        {
          name: 'v2',
          served: true,
          storage: false,
          schema: object({
            replicas: { type: 'integer' },
            paint: { type: 'object', properties: { color: { type: 'string' } } },
          }),
        },
      ],
    },
  });
  const { v1, v2 } = gadgetKinds(group);
  await until(`${name} to be served`, async () => {
    try {
      await client.list(v1, { namespace: 'default' });
      await client.list(v2, { namespace: 'default' });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  });
  return name;
}

/** A CA and a serving certificate for 127.0.0.1 written as tls.crt / tls.key into a new directory. */
export async function writeServingCertificates(dir = mkdtempSync(join(tmpdir(), 'kubeforge-webhook-certs-'))) {
  const ca = await createCertificateAuthority('kubeforge-webhook-test-ca');
  const serving = await writeCertificateSignedBy(ca, dir);
  return { dir, ca, serving };
}

export async function writeCertificateSignedBy(ca: CertifiedKey, dir: string): Promise<CertifiedKey> {
  const serving = await issueCertificate(ca, { commonName: 'webhook', usage: 'server', ipAddresses: ['127.0.0.1'] });
  await writeFile(join(dir, 'tls.key'), serving.key);
  await writeFile(join(dir, 'tls.crt'), serving.cert);
  return serving;
}

/** The Mutating/ValidatingWebhookConfigurations `kubeforge manifests` generates for Gadget v1. */
export function gadgetWebhookConfigurations(
  kind: ObjectKind,
  options: { failurePolicy?: 'Fail' | 'Ignore'; name?: string; only?: 'mutate' } = {},
): KubeObject[] {
  const rule = (operations: string[]) => ({
    apiGroups: [kind.group],
    apiVersions: [kind.version],
    operations,
    resources: [kind.plural],
  });
  const webhook = (prefix: string, path: string, operations: string[]) => ({
    name: `${prefix}${kind.kind.toLowerCase()}-${kind.version}.${kind.group}`,
    admissionReviewVersions: ['v1'],
    clientConfig: { service: { name: 'webhook-service', namespace: 'system', path } },
    failurePolicy: options.failurePolicy ?? 'Fail',
    sideEffects: 'None',
    timeoutSeconds: 5,
    rules: [rule(operations)],
  });
  const name = options.name ?? kind.group;
  const mutating = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: `${name}-mutating` },
    webhooks: [webhook('m', webhookPath('mutate', kind), ['CREATE', 'UPDATE'])],
  } as KubeObject;
  const validating = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: `${name}-validating` },
    webhooks: [webhook('v', webhookPath('validate', kind), ['CREATE', 'UPDATE', 'DELETE'])],
  } as KubeObject;
  return options.only === 'mutate' ? [mutating] : [mutating, validating];
}

/** Registers `gadgetWebhookConfigurations(kind, options)` against `server` on 127.0.0.1, trusting `caPem`. */
export async function registerGadgetWebhooks(
  client: DirectClient,
  server: WebhookServer,
  caPem: string,
  kind: ObjectKind,
  options: Parameters<typeof gadgetWebhookConfigurations>[1] = {},
): Promise<LocalWebhooks> {
  return registerLocalWebhooks(client, {
    baseUrl: `https://127.0.0.1:${server.port}`,
    caPem,
    configurations: gadgetWebhookConfigurations(kind, options),
  });
}

/** POSTs `object` straight to the apiserver and returns the status and the `Warning` headers it answered with. */
export async function createReturningWarnings(
  config: RestConfig,
  kind: ObjectKind,
  namespace: string,
  object: KubeObject,
): Promise<{ status: number; warnings: string[] }> {
  const payload = JSON.stringify({ apiVersion: kind.apiVersion, kind: kind.kind, ...object });
  const url = new URL(`/apis/${kind.apiVersion}/namespaces/${namespace}/${kind.plural}`, config.server);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: config.caData,
        cert: config.certData,
        key: config.keyData,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        const header = res.headers.warning;
        const warnings = (Array.isArray(header) ? header : header ? [header] : []).map((value) =>
          value.replace(/^299 - "(.*)"$/, '$1'),
        );
        res.on('end', () => resolve({ status: res.statusCode ?? 0, warnings }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Starts a manager on the shared control plane whose webhook server listens on a free loopback
 * port with the certificates in `certDir`; `setup` registers webhooks. Resolves once it serves;
 * fails as soon as the manager stops first (naming why), or when readiness never comes.
 */
export async function startWebhookManager(
  certDir: string,
  setup: (mgr: Manager) => void,
  options: Partial<WebhookServerOptions> = {},
): Promise<{ running: RunningManager; server: WebhookServer }> {
  let server: WebhookServer | undefined;
  const running = await startManager(
    (mgr) => {
      server = mgr.webhookServer();
      setup(mgr);
    },
    { webhookServer: { host: '127.0.0.1', port: 0, certDir, ...options } },
  );
  const started = server as WebhookServer;
  let ended: unknown;
  void running.running.then(
    () => (ended = new Error('the manager stopped')),
    (error: unknown) => (ended = error),
  );
  await until('the webhook server to listen', () => {
    if (ended) {
      const reason = ended instanceof Error ? ended.message : String(ended);
      throw new Error(`the webhook server never became ready: ${reason}`, { cause: ended });
    }
    try {
      started.readyCheck();
      return true;
    } catch {
      return false;
    }
  });
  return { running, server: started };
}
