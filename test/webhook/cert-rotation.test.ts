import { X509Certificate } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueCertificate } from '../../src/runtime/serving/index.js';
import { newClient, type DirectClient } from '../../src/runtime/index.js';
import { webhookFor, type LocalWebhooks, type WebhookServer } from '../../src/runtime/webhook/index.js';
import { until, type RunningManager } from '../runtime/harness.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import {
  gadgetKinds,
  registerGadgetWebhooks,
  installGadgetCrd,
  startWebhookManager,
  writeServingCertificates,
} from './harness.js';

const GROUP = 'rotation.webhooks.kubeforge.io';
const { v1: GadgetKind } = gadgetKinds(GROUP);

let client: DirectClient;
let running: RunningManager;
let server: WebhookServer;
let certs: Awaited<ReturnType<typeof writeServingCertificates>>;
let registration: LocalWebhooks;
let namespace: string;

/** The fingerprint of the certificate the server presents right now. */
async function servedFingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? '';
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

async function register(caPem: string): Promise<LocalWebhooks> {
  return registerGadgetWebhooks(client, server, caPem, GadgetKind, { only: 'mutate' });
}

beforeAll(async () => {
  client = newClient(testRestConfig());
  await installGadgetCrd(client, GROUP);
  certs = await writeServingCertificates();
  ({ running, server } = await startWebhookManager(certs.dir, (mgr) => {
    webhookFor(mgr, GadgetKind)
      .withDefaulter({
        default(gadget) {
          gadget.spec = { size: 2, ...gadget.spec };
        },
      })
      .complete();
  }));
  registration = await register(certs.ca.cert);
  namespace = await createTestNamespace('webhook-rotation');
});

afterAll(async () => {
  await registration?.unregister();
  await running?.stop();
});

describe('serving certificate rotation', () => {
  it('serves a certificate rotated on disk without a restart, and the apiserver keeps calling', async () => {
    expect(await servedFingerprint()).toBe(new X509Certificate(certs.serving.cert).fingerprint256);

    const newCa = await createCertificateAuthority('rotated-ca');
    const rotated = await issueCertificate(newCa, {
      commonName: 'webhook',
      usage: 'server',
      ipAddresses: ['127.0.0.1'],
    });
    await writeFile(join(certs.dir, 'tls.key.new'), rotated.key);
    await writeFile(join(certs.dir, 'tls.crt.new'), rotated.cert);
    await rename(join(certs.dir, 'tls.key.new'), join(certs.dir, 'tls.key'));
    await rename(join(certs.dir, 'tls.crt.new'), join(certs.dir, 'tls.crt'));
    const rotatedFingerprint = new X509Certificate(rotated.cert).fingerprint256;
    await until(
      'the server to present the rotated certificate',
      async () => (await servedFingerprint()) === rotatedFingerprint,
    );

    registration = await register(newCa.cert);
    await until('the apiserver to call the webhook trusting only the new CA', async () => {
      const probe = await client.create(GadgetKind, { metadata: { name: 'probe', namespace } }, { dryRun: true });
      return probe.spec?.size === 2;
    });
    const created = await client.create(GadgetKind, { metadata: { name: 'after-rotation', namespace } });
    expect(created.spec).toEqual({ size: 2 });
  });
});
