import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueCertificate, type CertifiedKey } from '../../envtest/certificates.js';
import { newLogger } from '../log.js';
import { validatingHandler } from './admission.js';
import { WebhookServer, webhookServerOptionsFromEnv } from './server.js';

let ca: CertifiedKey;
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

beforeAll(async () => {
  ca = await createCertificateAuthority('server-test-ca');
  const serving = await issueCertificate(ca, { commonName: 'webhook', usage: 'server', ipAddresses: ['127.0.0.1'] });
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
  for (let i = 0; i < 200; i++) {
    try {
      server.readyCheck();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
});

afterAll(async () => {
  stop.abort();
  await stopped;
});

describe('WebhookServer', () => {
  it('refuses TLS 1.1 clients and accepts TLS 1.2', async () => {
    const handshake = (maxVersion: 'TLSv1.1' | 'TLSv1.2') =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(
          { host: '127.0.0.1', port: server.port, ca: ca.cert, minVersion: 'TLSv1', maxVersion },
          () => {
            resolve(socket.getProtocol() ?? '');
            socket.end();
          },
        );
        socket.on('error', reject);
      });
    await expect(handshake('TLSv1.1')).rejects.toThrow();
    expect(await handshake('TLSv1.2')).toBe('TLSv1.2');
  });

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

  it('keeps the current certificate while a rotated pair is half written', async () => {
    const other = await issueCertificate(ca, { commonName: 'other', usage: 'server', ipAddresses: ['127.0.0.1'] });
    await writeFile(join(certDir, 'tls.crt'), other.cert);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await post('/validate', '{}')).status).toBe(200);
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
