import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isGone } from './errors.js';
import { Transport } from './transport.js';
import { MalformedWatchEventError, WatchIdleTimeoutError, decodeWatchStream } from './watch-stream.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const servers: http.Server[] = [];

/** A loopback HTTP server speaking just enough of the protocol to exercise the transport's edge cases. */
async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
};

describe('transport authentication', () => {
  it('re-reads a rotated token file after a minute', async () => {
    const seen: string[] = [];
    const server = await serve((req, res) => {
      seen.push(req.headers.authorization ?? '');
      json(res, 200, {});
    });
    const tokenFile = join(mkdtempSync(join(tmpdir(), 'kubeforge-token-')), 'token');
    writeFileSync(tokenFile, 'first\n');
    const transport = new Transport({ server, tokenFile });
    vi.useFakeTimers({ toFake: ['Date'] });
    await transport.request({ method: 'GET', path: '/api' });
    writeFileSync(tokenFile, 'second\n');
    await transport.request({ method: 'GET', path: '/api' });
    vi.setSystemTime(Date.now() + 61_000);
    await transport.request({ method: 'GET', path: '/api' });
    expect(seen).toEqual(['Bearer first', 'Bearer first', 'Bearer second']);
    transport.close();
  });

  it('re-reads the token file at once and retries when the server answers 401', async () => {
    const tokenFile = join(mkdtempSync(join(tmpdir(), 'kubeforge-token-')), 'token');
    writeFileSync(tokenFile, 'old');
    const server = await serve((req, res) => {
      if (req.headers.authorization === 'Bearer new') json(res, 200, { ok: true });
      else json(res, 401, { kind: 'Status', reason: 'Unauthorized', code: 401 });
    });
    const transport = new Transport({ server, tokenFile });
    await expect(transport.request({ method: 'GET', path: '/api' })).rejects.toThrow('401 Unauthorized');
    writeFileSync(tokenFile, 'new');
    await expect(transport.request({ method: 'GET', path: '/api' })).resolves.toEqual({ ok: true });
    transport.close();
  });

  it('waits Retry-After and retries when throttled with 429', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      if (++calls === 1) res.writeHead(429, { 'Retry-After': '0' }).end('slow down');
      else json(res, 200, { calls });
    });
    const transport = new Transport({ server });
    await expect(transport.request({ method: 'GET', path: '/api' })).resolves.toEqual({ calls: 2 });
    transport.close();
  });
});

describe('transport connections', () => {
  it('drops the pooled idle sockets when a request gets no answer, so the retry connects afresh', async () => {
    let answer = true;
    let connections = 0;
    let closed = 0;
    const server = await serve((_req, res) => {
      if (answer) setTimeout(() => json(res, 200, {}), 20);
    });
    servers[0].keepAliveTimeout = 60_000; // only the client may close the idle sockets within this test
    servers[0].on('connection', (socket) => {
      connections++;
      socket.on('close', () => closed++);
    });
    const transport = new Transport({ server }, { requestTimeoutMs: 200 });
    await Promise.all([
      transport.request({ method: 'GET', path: '/a' }),
      transport.request({ method: 'GET', path: '/b' }),
    ]);
    const pooled = () => Object.values(transport['connections']['agents']!.requests.freeSockets).flat().length;
    await vi.waitFor(() => expect(pooled()).toBe(2), { timeout: 10_000 });
    answer = false;
    await expect(transport.request({ method: 'GET', path: '/c' })).rejects.toThrow('no answer within 200 ms');
    await vi.waitFor(() => expect(closed).toBe(2), { timeout: 10_000 });
    answer = true;
    await expect(transport.request({ method: 'GET', path: '/d' })).resolves.toEqual({});
    expect(connections).toBe(3);
    transport.close();
  }, 30_000);
});

describe('watch stream decoding', () => {
  async function watch(handler: Handler, idleTimeoutMs = 0, requestTimeoutMs = 60_000) {
    const transport = new Transport({ server: await serve(handler) }, { requestTimeoutMs });
    const res = await transport.stream({ method: 'GET', path: '/watch' });
    const events: string[] = [];
    try {
      for await (const event of decodeWatchStream(res, { idleTimeoutMs, description: 'watch Thing/v1' })) {
        events.push(`${event.type} ${event.object.metadata?.name ?? event.object.metadata?.resourceVersion}`);
      }
      return { events, error: undefined };
    } catch (error) {
      return { events, error };
    } finally {
      transport.close();
    }
  }

  it('joins events split across chunks and ends when the server ends the stream', async () => {
    const { events, error } = await watch((_req, res) => {
      res.writeHead(200);
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MOD');
      setTimeout(
        () =>
          res.end(
            'IFIED","object":{"metadata":{"name":"a"}}}\n{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}',
          ),
        20,
      );
    });
    expect(error).toBeUndefined();
    expect(events).toEqual(['ADDED a', 'MODIFIED a', 'BOOKMARK 9']);
  });

  it('keeps a quiet stream open past the request timeout once its headers arrived', async () => {
    const { events, error } = await watch(
      (_req, res) => {
        res.writeHead(200).flushHeaders();
        setTimeout(() => res.end('{"type":"ADDED","object":{"metadata":{"name":"late"}}}\n'), 300);
      },
      0,
      100,
    );
    expect(error).toBeUndefined();
    expect(events).toEqual(['ADDED late']);
  });

  it('fails on a malformed line instead of dropping it', async () => {
    const { events, error } = await watch((_req, res) => {
      res.writeHead(200).end('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\nnot json\n');
    });
    expect(events).toEqual(['ADDED a']);
    expect(error).toBeInstanceOf(MalformedWatchEventError);
    expect((error as Error).message).toContain('watch Thing/v1: malformed watch event: not json');
  });

  it('turns an in-stream ERROR event with 410 into a Gone ApiError', async () => {
    const { error } = await watch((_req, res) => {
      const status = {
        kind: 'Status',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
        message: 'too old resource version',
      };
      res.writeHead(200).end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    });
    expect(isGone(error)).toBe(true);
    expect((error as Error).message).toContain('too old resource version');
  });

  it('destroys a stream that stays silent past the idle timeout', async () => {
    const { events, error } = await watch((_req, res) => {
      res.writeHead(200).write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
    }, 150);
    expect(events).toEqual(['ADDED a']);
    expect(error).toBeInstanceOf(WatchIdleTimeoutError);
  });
});
