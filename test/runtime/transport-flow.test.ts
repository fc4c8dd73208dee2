/**
 * Flow control and resilience of the transport against local TLS servers: the client-side rate
 * limit, the bounded HTTP/1.1 pool, retries (Retry-After, broken connections), gzip and apiserver
 * warnings. Counts, never timings.
 */
import type http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiterWaitAborted } from '../../src/runtime/client/index.js';
import { Transport, type TransportOptions } from '../../src/runtime/client/transport.js';
import { decodeWatchStream } from '../../src/runtime/client/watch-stream.js';
import { until } from './harness.js';
import { json, startApiserver, testCertificates, type Handler } from './transport-servers.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function transportFor(handler: Handler, options: TransportOptions = {}, server: { http2?: boolean } = {}) {
  const certificates = await testCertificates();
  const apiserver = await startApiserver(certificates, handler, server);
  cleanup.push(() => apiserver.close());
  const transport = new Transport({ server: apiserver.url, caData: certificates.ca.cert }, options);
  cleanup.push(() => transport.close());
  return { transport, apiserver };
}

describe('client-side rate limit', () => {
  it('lets a burst through, then holds requests in the token bucket until cancelled', async () => {
    let arrived = 0;
    const { transport } = await transportFor(
      (_req, res) => {
        arrived++;
        json(res, 200, {});
      },
      { qps: 0.001, burst: 3 },
    );
    const abort = new AbortController();
    let answered = 0;
    const results = Array.from({ length: 5 }, () =>
      transport.request({ method: 'GET', path: '/api', signal: abort.signal }).then(
        () => {
          answered++;
          return 'ok';
        },
        (error: unknown) => error,
      ),
    );
    await until('the burst answered', () => answered === 3);
    abort.abort();
    const settled = await Promise.all(results);
    expect(settled.filter((result) => result === 'ok')).toHaveLength(3);
    expect(settled.filter((result) => result instanceof RateLimiterWaitAborted)).toHaveLength(2);
    expect(arrived).toBe(3);
  });

  it('defaults to 20 QPS with a burst of 30; qps -1 lets 50 concurrent requests through at once', async () => {
    const held: (() => void)[] = [];
    const { transport } = await transportFor(
      (_req, res) => {
        held.push(() => json(res, 200, {}));
        if (held.length === 50) for (const release of held) release();
      },
      { qps: -1, maxConnections: 50 },
    );
    await Promise.all(Array.from({ length: 50 }, () => transport.request({ method: 'GET', path: '/api' })));
    expect(held).toHaveLength(50);
    const defaults = new Transport({ server: 'https://127.0.0.1:1' });
    expect(defaults['limiter']).toMatchObject({ qps: 20, burst: 30 });
  });
});

describe('HTTP/1.1 connection pool', () => {
  it('opens at most maxConnections for requests, while every watch gets its own', async () => {
    let open = 0;
    const { transport, apiserver } = await transportFor(
      (req, res) => {
        if (req.url === '/watch') {
          (res as http.ServerResponse).writeHead(200).write('');
          return;
        }
        open++;
        setImmediate(() => {
          open--;
          json(res, 200, {});
        });
      },
      { http2: false, maxConnections: 2, qps: -1 },
    );
    const watches = await Promise.all(
      Array.from({ length: 3 }, () => transport.stream({ method: 'GET', path: '/watch' })),
    );
    await Promise.all(Array.from({ length: 20 }, () => transport.request({ method: 'GET', path: '/api' })));
    for (const watch of watches) watch.destroy();
    expect(apiserver.connections).toEqual(Array(5).fill('http/1.1'));
    expect(open).toBe(0);
  });
});

describe('retries', () => {
  it('retries 5xx with Retry-After on GET, 429 on any verb, but not a 5xx POST', async () => {
    const calls: string[] = [];
    const plan = new Map([
      ['GET /flaky', [503, 503, 200]],
      ['POST /throttled', [429, 201]],
      ['POST /failing', [503, 201]],
      ['GET /plain-500', [500, 200]],
    ]);
    const { transport } = await transportFor(
      (req, res) => {
        const key = `${req.method} ${req.url}`;
        calls.push(key);
        const status = plan.get(key)!.shift()!;
        const retryAfter: Record<string, string> = key === 'GET /plain-500' ? {} : { 'Retry-After': '0' };
        json(res, status, { kind: 'Status', code: status }, status >= 300 ? retryAfter : {});
      },
      { qps: -1 },
    );
    await transport.request({ method: 'GET', path: '/flaky' });
    await transport.request({ method: 'POST', path: '/throttled', body: {} });
    await expect(transport.request({ method: 'POST', path: '/failing', body: {} })).rejects.toThrow('503');
    await expect(transport.request({ method: 'GET', path: '/plain-500' })).rejects.toThrow('500');
    expect(calls).toEqual([
      'GET /flaky',
      'GET /flaky',
      'GET /flaky',
      'POST /throttled',
      'POST /throttled',
      'POST /failing',
      'GET /plain-500',
    ]);
  });

  for (const http2 of [true, false]) {
    it(`retries a GET whose connection was reset, never a POST (${http2 ? 'HTTP/2' : 'HTTP/1.1'})`, async () => {
      const calls: string[] = [];
      const { transport } = await transportFor(
        (req, res) => {
          calls.push(`${req.method} ${req.url}`);
          if (calls.length === 1 || req.method === 'POST') {
            if ('stream' in req) req.stream.session?.destroy();
            else req.socket.destroy();
          } else json(res, 200, { ok: true });
        },
        { qps: -1, http2 },
      );
      expect(await transport.request({ method: 'GET', path: '/api' })).toEqual({ ok: true });
      await expect(transport.request({ method: 'POST', path: '/api', body: {} })).rejects.toThrow();
      expect(calls).toEqual(['GET /api', 'GET /api', 'POST /api']);
    });
  }
});

describe('gzip and warnings', () => {
  it('asks for gzip and decodes gzipped answers and watch streams, unless compression is disabled', async () => {
    const encodings: string[] = [];
    const handler: Handler = (req, res) => {
      const accept = String(req.headers['accept-encoding'] ?? '');
      encodings.push(accept);
      const body =
        req.url === '/watch'
          ? `${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'zipped' } } })}\n`
          : JSON.stringify({ zipped: accept.includes('gzip') });
      if (!accept.includes('gzip')) return void res.end(body);
      (res as http.ServerResponse).writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(gzipSync(body));
    };
    const { transport } = await transportFor(handler);
    expect(await transport.request({ method: 'GET', path: '/api' })).toEqual({ zipped: true });
    const events = decodeWatchStream(await transport.stream({ method: 'GET', path: '/watch' }), {
      idleTimeoutMs: 0,
      description: 'watch',
    });
    expect((await events.next()).value?.object.metadata?.name).toBe('zipped');
    const certificates = await testCertificates();
    const plain = await startApiserver(certificates, handler);
    cleanup.push(() => plain.close());
    const uncompressed = new Transport({ server: plain.url, caData: certificates.ca.cert, disableCompression: true });
    cleanup.push(() => uncompressed.close());
    expect(await uncompressed.request({ method: 'GET', path: '/api' })).toEqual({ zipped: false });
    expect(encodings).toEqual(['gzip', 'gzip', '']);
  });

  it('logs each distinct apiserver warning once', async () => {
    const warned: string[] = [];
    const { transport } = await transportFor(
      (req, res) => {
        const warnings =
          req.url === '/two'
            ? ['299 - "v1beta1 Widget is deprecated"', '299 - "unknown field \\"spec.x\\""']
            : ['299 - "v1beta1 Widget is deprecated"'];
        (res as http.ServerResponse).setHeader('Warning', warnings);
        json(res, 200, {});
      },
      { logger: { warn: (message: string) => warned.push(message) } },
    );
    await transport.request({ method: 'GET', path: '/one' });
    await transport.request({ method: 'GET', path: '/two' });
    await transport.request({ method: 'GET', path: '/two' });
    expect(warned).toEqual([
      'apiserver warning: v1beta1 Widget is deprecated',
      'apiserver warning: unknown field "spec.x"',
    ]);
  });
});
