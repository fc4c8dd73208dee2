import { X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handshake } from '../../../test/support/server-probes.js';
import { newLogger } from '../log.js';
import {
  CertificateWatcher,
  createCertificateAuthority,
  issueCertificate,
  type CertifiedKey,
} from '../serving/index.js';
import { validatingHandler } from './admission.js';
import { WebhookServer, webhookServerOptionsFromEnv } from './server.js';

let ca: CertifiedKey;
let serving: CertifiedKey;
let certDir: string;
let server: WebhookServer;
const stop = new AbortController();
let stopped: Promise<void>;

function post(path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        ca: ca.cert,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function fingerprintOf(certified: CertifiedKey): string {
  return new X509Certificate(certified.cert).fingerprint256;
}

/** Resolves once `server` is ready; rejects with the reason when its start fails first or readiness never comes. */
async function untilReady(started: Promise<void>): Promise<void> {
  const ended = started.then(
    () => new Error('the webhook server stopped before it was ready'),
    (error: unknown) => error,
  );
  const ready = vi
    .waitFor(() => server.readyCheck(), { timeout: 20_000, interval: 10 })
    .then(
      () => undefined,
      (error: unknown) => new Error('the webhook server never became ready', { cause: error }),
    );
  const failure = await Promise.race([ended, ready]);
  if (failure) throw failure;
}

/**
 * Records every certificate reload the server starts from now on (it reloads on each change in
 * the directory): `started` counts them, `outcomes()` waits for all of them to settle.
 */
function recordReloads() {
  const reload = CertificateWatcher.prototype.reload;
  const settled: Promise<PromiseSettledResult<void>>[] = [];
  const spy = vi.spyOn(CertificateWatcher.prototype, 'reload').mockImplementation(function (this: CertificateWatcher) {
    const reloaded = reload.call(this);
    settled.push(Promise.allSettled([reloaded]).then(([outcome]) => outcome));
    return reloaded;
  });
  return {
    started: () => settled.length,
    outcomes: () => Promise.all(settled),
    stop: () => spy.mockRestore(),
  };
}

beforeAll(async () => {
  ca = await createCertificateAuthority('server-test-ca');
  serving = await issueCertificate(ca, { commonName: 'webhook', usage: 'server', ipAddresses: ['127.0.0.1'] });
  certDir = mkdtempSync(join(tmpdir(), 'kubeforge-webhook-server-'));
  await writeFile(join(certDir, 'tls.crt'), serving.cert);
  await writeFile(join(certDir, 'tls.key'), serving.key);
  server = new WebhookServer({
    host: '127.0.0.1',
    port: 0,
    certDir,
    maxBodyBytes: 1024,
    logger: newLogger({ level: 'silent' }),
  });
  server.register('/validate', validatingHandler({}));
  stopped = server.start(stop.signal);
  await untilReady(stopped);
}, 30_000);

afterAll(async () => {
  stop.abort();
  await stopped;
});

describe('WebhookServer', () => {
  it('answers 413 to a body over the size limit and keeps serving', async () => {
    expect((await post('/validate', JSON.stringify({ padding: 'x'.repeat(2048) }))).status).toBe(413);
    const ok = await post(
      '/validate',
      JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: { uid: 'u', operation: 'CONNECT', kind: { kind: 'Widget' } },
      }),
    );
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).response).toEqual({ uid: 'u', allowed: true });
  });

  it('answers 400 to a body that is not JSON, a review error to the wrong review, 404 to unknown paths', async () => {
    expect((await post('/validate', '{not json')).status).toBe(400);
    const wrong = await post('/validate', JSON.stringify({ kind: 'ConversionReview' }));
    expect(JSON.parse(wrong.body).response).toMatchObject({
      allowed: false,
      status: { code: 400, reason: 'BadRequest' },
    });
    expect((await post('/mutate-nothing', '{}')).status).toBe(404);
  });

  // The directory is watched, and polled every 10 s as a fallback: the limits allow for one poll.
  it('keeps its certificate while a rotated pair is half written, then serves it', { timeout: 30_000 }, async () => {
    expect((await handshake(server.port, {}, ca.cert)).fingerprint).toBe(fingerprintOf(serving));
    const rotated = await issueCertificate(ca, {
      commonName: 'rotated',
      usage: 'server',
      ipAddresses: ['127.0.0.1'],
    });
    const certPath = join(certDir, 'tls.crt');

    const reloads = recordReloads();
    await writeFile(certPath, rotated.cert); // tls.key still holds the old key
    const before = reloads.started();
    await utimes(certPath, new Date(), new Date()); // one more change, so a reload reads the half-written pair
    await vi.waitFor(() => expect(reloads.started()).toBeGreaterThan(before));
    const outcomes = await reloads.outcomes();
    reloads.stop();
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect((await handshake(server.port, {}, ca.cert)).fingerprint).toBe(fingerprintOf(serving));

    await writeFile(join(certDir, 'tls.key'), rotated.key);
    await vi.waitFor(
      async () => expect((await handshake(server.port, {}, ca.cert)).fingerprint).toBe(fingerprintOf(rotated)),
      {
        timeout: 20_000,
        interval: 20,
      },
    );
  });

  it('fails to start with a message naming the missing certificate and how to get one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kubeforge-webhook-empty-'));
    const missing = new WebhookServer({ port: 0, certDir: empty, logger: newLogger({ level: 'silent' }) });
    await expect(missing.start(new AbortController().signal)).rejects.toThrow(
      new RegExp(`cannot load its serving certificate from ${empty}/tls.crt.*kubeforge run --webhooks`),
    );
  });

  it('reads host, port and certificate directory from the environment, rejecting a bad port', () => {
    expect(
      webhookServerOptionsFromEnv({
        KUBEFORGE_WEBHOOK_PORT: '9444',
        KUBEFORGE_WEBHOOK_CERT_DIR: '/certs',
        KUBEFORGE_WEBHOOK_HOST: '127.0.0.1',
      }),
    ).toEqual({
      port: 9444,
      certDir: '/certs',
      host: '127.0.0.1',
    });
    expect(() => webhookServerOptionsFromEnv({ KUBEFORGE_WEBHOOK_PORT: 'http' })).toThrow(
      'KUBEFORGE_WEBHOOK_PORT: "http" is not a port number',
    );
  });
});
