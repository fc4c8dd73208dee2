/**
 * HTTP/2: ALPN negotiation against a local TLS server and the real envtest apiserver, requests and
 * watches multiplexed on one session, the HTTP/1.1 fallback and switch, and a dead connection
 * found by an unanswered PING.
 */
import type http from 'node:http';
import type http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectionEvent } from '../../src/runtime/client/index.js';
import { ConfigMap, newClient } from '../../src/runtime/index.js';
import { Transport } from '../../src/runtime/client/transport.js';
import { decodeWatchStream } from '../../src/runtime/client/watch-stream.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { until } from './harness.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { json, startApiserver, testCertificates, type TestApiserver } from './transport-servers.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function local(options: { http2?: boolean } = {}): Promise<{ server: TestApiserver; ca: string }> {
  const certificates = await testCertificates();
  const server = await startApiserver(
    certificates,
    (req, res) => {
      if (req.url?.startsWith('/watch')) {
        const watch = res as http.ServerResponse;
        watch.writeHead(200, { 'Content-Type': 'application/json' });
        watch.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: req.httpVersion } } })}\n`);
        return; // stays open: a watch
      }
      json(res, 200, { httpVersion: req.httpVersion });
    },
    options,
  );
  cleanup.push(() => server.close());
  return { server, ca: certificates.ca.cert };
}

describe('HTTP/2 transport against a local TLS server', () => {
  it('negotiates h2 by ALPN and multiplexes requests and a watch on one connection', async () => {
    const { server, ca } = await local();
    const transport = new Transport({ server: server.url, caData: ca }, { http2: true });
    cleanup.push(() => transport.close());
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => transport.request<{ httpVersion: string }>({ method: 'GET', path: '/api' })),
    );
    const watch = decodeWatchStream(await transport.stream({ method: 'GET', path: '/watch' }), {
      idleTimeoutMs: 0,
      description: 'watch',
    });
    expect((await watch.next()).value?.object.metadata?.name).toBe('2.0');
    await watch.return(undefined);
    expect(answers.map((answer) => answer.httpVersion)).toEqual(Array(10).fill('2.0'));
    expect(transport.protocol).toBe('h2');
    expect(server.connections).toEqual(['h2']);
  });

  it('falls back to HTTP/1.1 when the server does not pick h2, and uses it when HTTP/2 is switched off', async () => {
    const { server: http1Server, ca: ca1 } = await local({ http2: false });
    const fallback = new Transport({ server: http1Server.url, caData: ca1 });
    cleanup.push(() => fallback.close());
    expect(await fallback.request({ method: 'GET', path: '/api' })).toEqual({ httpVersion: '1.1' });
    expect(await fallback.request({ method: 'GET', path: '/api' })).toEqual({ httpVersion: '1.1' });
    expect(fallback.protocol).toBe('http/1.1');

    const { server, ca } = await local();
    const off = new Transport({ server: server.url, caData: ca }, { http2: false });
    cleanup.push(() => off.close());
    expect(await off.request({ method: 'GET', path: '/api' })).toEqual({ httpVersion: '1.1' });
    expect(server.connections).toEqual(['http/1.1']);

    process.env.DISABLE_HTTP2 = 'true';
    cleanup.push(() => delete process.env.DISABLE_HTTP2);
    const byEnv = new Transport({ server: server.url, caData: ca });
    cleanup.push(() => byEnv.close());
    expect(await byEnv.request({ method: 'GET', path: '/api' })).toEqual({ httpVersion: '1.1' });
  });

  it('declares a connection dead when a PING goes unanswered, fails its watch and reconnects', async () => {
    const { server, ca } = await local();
    const proxy: TcpProxy = await startTcpProxy(server.url);
    cleanup.push(() => proxy.close());
    const events: ConnectionEvent[] = [];
    const transport = new Transport(
      { server: proxy.url, caData: ca },
      { http2PingIntervalMs: 200, http2PingTimeoutMs: 300, onConnectionEvent: (event) => events.push(event) },
    );
    cleanup.push(() => transport.close());
    const watch = decodeWatchStream(await transport.stream({ method: 'GET', path: '/watch' }), {
      idleTimeoutMs: 0,
      description: 'watch',
    });
    expect((await watch.next()).value?.object.metadata?.name).toBe('2.0');
    proxy.freeze();
    const failure = await watch.next().catch((error: unknown) => error);
    expect(String((failure as Error).cause ?? failure)).toMatch(/PING .* not answered within 300 ms/);
    expect(events.map((event) => event.type)).toEqual(['protocol', 'connection-lost']);
    expect(await transport.request({ method: 'GET', path: '/api' })).toEqual({ httpVersion: '2.0' });
    expect(server.connections).toEqual(['h2', 'h2']);
  });
});

describe('HTTP/2 GOAWAY', () => {
  it('keeps streams open at GOAWAY running and sends new requests on a new session', async () => {
    const certificates = await testCertificates();
    let requests = 0;
    const server = await startApiserver(certificates, (req, res) => {
      const response = res as http.ServerResponse;
      if (req.url === '/watch') {
        response.writeHead(200).write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } })}\n`);
        setTimeout(
          () => response.end(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'b' } } })}\n`),
          200,
        );
        return;
      }
      json(res, 200, { request: ++requests });
      // The apiserver sends GOAWAY now and then (--goaway-chance) to rebalance clients.
      if (requests === 1) (req as http2.Http2ServerRequest).stream.session?.close();
    });
    cleanup.push(() => server.close());
    const transport = new Transport({ server: server.url, caData: certificates.ca.cert });
    cleanup.push(() => transport.close());
    const watch = decodeWatchStream(await transport.stream({ method: 'GET', path: '/watch' }), {
      idleTimeoutMs: 0,
      description: 'watch',
    });
    expect((await watch.next()).value?.object.metadata?.name).toBe('a');
    await transport.request({ method: 'GET', path: '/api' });
    await until('the client saw GOAWAY', () => transport['connections']['session'] === undefined);
    expect(await transport.request({ method: 'GET', path: '/api' })).toEqual({ request: 2 });
    expect((await watch.next()).value?.object.metadata?.name).toBe('b');
    expect(server.connections).toEqual(['h2', 'h2']);
  });
});

describe('HTTP/2 against the envtest apiserver', () => {
  it('speaks h2 for requests and watches on one session', async () => {
    const namespace = await createTestNamespace('h2');
    const events: ConnectionEvent[] = [];
    const client = newClient(testRestConfig(), { onConnectionEvent: (event) => events.push(event) });
    cleanup.push(() => client.close());
    const list = await client.listPage(ConfigMap, { namespace });
    const watch = await client.watch(ConfigMap, { namespace, resourceVersion: list.resourceVersion });
    await client.create(ConfigMap, { metadata: { name: 'over-h2', namespace }, data: { a: 'b' } });
    const { value } = await watch.next();
    await watch.return(undefined);
    // One assertion, so a failure shows the event, the protocol and the connection events together.
    expect({ event: value, protocol: client.transport.protocol, events }).toMatchObject({
      event: { type: 'ADDED', object: { metadata: { name: 'over-h2' } } },
      protocol: 'h2',
      events: [{ type: 'protocol', protocol: 'h2' }],
    });
    expect(events).toHaveLength(1);
  });

  it('uses HTTP/1.1 with DISABLE_HTTP2 set', async () => {
    process.env.DISABLE_HTTP2 = '1';
    cleanup.push(() => delete process.env.DISABLE_HTTP2);
    const client = newClient(testRestConfig());
    cleanup.push(() => client.close());
    await client.listPage(ConfigMap, { namespace: 'default' });
    expect(client.transport.protocol).toBe('http/1.1');
  });
});
