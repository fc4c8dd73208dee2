/**
 * The runtime's servers as a client sees them: the webhook server and the manager's secure metrics
 * server refuse TLS 1.1, weak TLS 1.2 suites and (unless enabled) HTTP/2; they, and the health
 * probe server, answer an oversized request head 431 and disconnect a client that never finishes
 * its headers; errors reach the client as a generic message.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { Gauge } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { metricsRegistry } from '../../src/runtime/metrics/index.js';
import {
  createCertificateAuthority,
  issueCertificate,
  TLS_CIPHERS,
  type CertifiedKey,
} from '../../src/runtime/serving/index.js';
import { WebhookServer } from '../../src/runtime/webhook/index.js';
import {
  handshake,
  http2Session,
  LEGACY_CLIENT,
  requestWithHeaders,
  slowClient,
  WEAK_CIPHER_CLIENT,
  type SlowClient,
} from '../support/server-probes.js';
import { startManager, testLogger, type RunningManager } from '../runtime/harness.js';

interface Endpoint {
  name: string;
  port: number;
  secure: boolean;
}

let serving: CertifiedKey;
let certDir: string;
const stops: (() => Promise<void>)[] = [];
/** Secure servers with HTTP/2 off (the default) and on. */
const endpoints: Record<'default' | 'http2', Endpoint[]> = { default: [], http2: [] };
let probes: Endpoint;
let plainMetrics: string;

async function startWebhookServer(enableHTTP2: boolean): Promise<Endpoint> {
  const server = new WebhookServer({ host: '127.0.0.1', port: 0, certDir, enableHTTP2, logger: testLogger() });
  const abort = new AbortController();
  const started = server.start(abort.signal);
  await vi.waitFor(() => server.readyCheck(), { timeout: 20_000, interval: 10 });
  stops.push(async () => {
    abort.abort();
    await started;
  });
  return { name: `webhook server${enableHTTP2 ? ' (HTTP/2 on)' : ''}`, port: server.port, secure: true };
}

async function startMetrics(options: Parameters<typeof startManager>[1]): Promise<RunningManager> {
  const running = await startManager(() => {}, { metricsBindAddress: '127.0.0.1:0', ...options });
  stops.push(() => running.stop());
  return running;
}

function portOf(url: string | undefined): number {
  if (!url) throw new Error('the server is not listening');
  return Number(new URL(url).port);
}

beforeAll(async () => {
  const ca = await createCertificateAuthority('hardening-test-ca');
  serving = await issueCertificate(ca, { commonName: 'webhook', usage: 'server', ipAddresses: ['127.0.0.1'] });
  certDir = await mkdtemp(join(tmpdir(), 'kubeforge-hardening-'));
  await writeFile(join(certDir, 'tls.crt'), serving.cert);
  await writeFile(join(certDir, 'tls.key'), serving.key);

  const secure = await startMetrics({ healthProbeBindAddress: '127.0.0.1:0' });
  const { metrics, healthProbe } = await secure.mgr.serving();
  endpoints.default.push(await startWebhookServer(false), {
    name: 'metrics server',
    port: portOf(metrics),
    secure: true,
  });
  probes = { name: 'health probe server', port: portOf(healthProbe), secure: false };
  const http2 = await startMetrics({ enableHTTP2: true });
  endpoints.http2.push(await startWebhookServer(true), {
    name: 'metrics server (HTTP/2 on)',
    port: portOf((await http2.mgr.serving()).metrics),
    secure: true,
  });
  const plain = await startMetrics({ metricsServer: { secure: false } });
  plainMetrics = (await plain.mgr.serving()).metrics ?? '';
});

afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
  if (certDir) await rm(certDir, { recursive: true, force: true });
});

describe('TLS', () => {
  it('the test clients do get TLS 1.1 and a CBC suite from a server that allows them', async () => {
    const lenient = createServer(
      { cert: serving.cert, key: serving.key, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' },
      (socket) => socket.end(),
    );
    await new Promise<void>((resolve) => lenient.listen(0, '127.0.0.1', resolve));
    try {
      const port = (lenient.address() as AddressInfo).port;
      expect((await handshake(port, LEGACY_CLIENT)).protocol).toBe('TLSv1.1');
      expect((await handshake(port, WEAK_CIPHER_CLIENT)).cipher).toBe('ECDHE-ECDSA-AES128-SHA');
    } finally {
      lenient.close();
    }
  });

  it('the webhook and metrics servers refuse TLS 1.1 with a protocol_version alert', async () => {
    for (const endpoint of endpoints.default)
      await expect(handshake(endpoint.port, LEGACY_CLIENT), endpoint.name).rejects.toMatchObject({
        code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
      });
  });

  it('the webhook and metrics servers refuse TLS 1.2 without an AEAD suite, and agree on one of the list', async () => {
    for (const endpoint of endpoints.default) {
      await expect(handshake(endpoint.port, WEAK_CIPHER_CLIENT), endpoint.name).rejects.toMatchObject({
        code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
      });
      const tls12 = await handshake(endpoint.port, { maxVersion: 'TLSv1.2' });
      expect(tls12.protocol, endpoint.name).toBe('TLSv1.2');
      expect(TLS_CIPHERS.split(':'), endpoint.name).toContain(tls12.cipher);
      expect((await handshake(endpoint.port)).protocol, endpoint.name).toBe('TLSv1.3');
    }
  });
});

describe('HTTP/2', () => {
  it('is refused by default: a client offering only h2 gets no_application_protocol, HTTP/1.1 is agreed', async () => {
    for (const endpoint of endpoints.default) {
      await expect(http2Session(`https://127.0.0.1:${endpoint.port}`), endpoint.name).rejects.toMatchObject({
        code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL',
      });
      expect((await handshake(endpoint.port, { ALPNProtocols: ['h2', 'http/1.1'] })).alpn).toBe('http/1.1');
    }
  });

  it('is accepted with enableHTTP2 (--enable-http2), HTTP/1.1 still served', async () => {
    for (const endpoint of endpoints.http2) {
      expect(await http2Session(`https://127.0.0.1:${endpoint.port}`), endpoint.name).toBe('h2');
      expect((await handshake(endpoint.port, { ALPNProtocols: ['http/1.1'] })).alpn).toBe('http/1.1');
    }
  });
});

describe('request limits', () => {
  const all = () => [...endpoints.default, ...endpoints.http2, probes];

  it('answers 431 to a request head over 16 KiB, and handles one under it', async () => {
    for (const endpoint of all()) {
      expect(await requestWithHeaders(endpoint.port, endpoint.secure, 32 * 1024), endpoint.name).toBe(
        'HTTP/1.1 431 Request Header Fields Too Large',
      );
      expect(await requestWithHeaders(endpoint.port, endpoint.secure, 8 * 1024), endpoint.name).not.toContain('431');
    }
  });

  // The headers timeout is 10 s, checked every second: the limit allows for it three times over.
  it(
    'disconnects a client that sends its headers one byte at a time and never finishes them',
    { timeout: 60_000 },
    async () => {
      const clients = new Map<string, SlowClient>(all().map((e) => [e.name, slowClient(e.port, e.secure)]));
      try {
        await vi.waitFor(
          () => expect([...clients].filter(([, client]) => !client.closed()).map(([name]) => name)).toEqual([]),
          {
            timeout: 30_000,
            interval: 200,
          },
        );
        for (const [name, client] of clients)
          expect(await client.closedByServer, name).toBe('HTTP/1.1 408 Request Timeout');
      } finally {
        for (const client of clients.values()) client.stop();
      }
    },
  );
});

describe('errors', () => {
  it('answer a failure to collect metrics with a generic 500, the reason only in the log', async () => {
    new Gauge({
      name: 'hardening_test_failing_collector',
      help: 'throws when collected',
      registers: [metricsRegistry],
      collect() {
        throw new Error('connection string postgres://admin:hunter2@db');
      },
    });
    try {
      const response = await fetch(`${plainMetrics}/metrics`);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('Internal Server Error\n');
    } finally {
      metricsRegistry.removeSingleMetric('hardening_test_failing_collector');
    }
  });
});
