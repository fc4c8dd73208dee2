/**
 * The manager's two small HTTP endpoints: `/metrics` (Prometheus text from the registry) and
 * the probes `/healthz` and `/readyz` (every check must pass; `/readyz/<name>` runs one check;
 * `?verbose` lists each). Failing checks answer 500 with the reason.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry } from '../metrics/index.js';

/** Throws (or rejects) when unhealthy; the message is shown on the probe endpoint. */
export type Check = () => void | Promise<void>;

async function runChecks(
  checks: Map<string, Check>,
  only: string | undefined,
): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const [name, check] of checks) {
    if (only && name !== only) continue;
    try {
      await check();
      lines.push(`[+]${name} ok`);
    } catch (err) {
      ok = false;
      lines.push(`[-]${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { ok, lines };
}

function probeHandler(endpoints: Record<string, Map<string, Check>>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://probe');
    const [, endpoint, only] = url.pathname.split('/');
    const checks = endpoints[endpoint];
    if (!checks || (only && !checks.has(only))) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const { ok, lines } = await runChecks(checks, only);
    const body = ok
      ? url.searchParams.has('verbose')
        ? `${lines.join('\n')}\n${endpoint} check passed\n`
        : 'ok'
      : `${lines.join('\n')}\n${endpoint} check failed\n`;
    res
      .writeHead(ok ? 200 : 500, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
      .end(body);
  };
}

async function metricsHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (new URL(req.url ?? '/', 'http://metrics').pathname !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  try {
    const body = await metricsRegistry.metrics();
    res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`collecting metrics failed: ${String(err)}\n`);
  }
}

/** A listening HTTP server and the `http://host:port` it is reachable at. */
export interface Listening {
  server: Server;
  url: string;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  address: { host?: string; port: number },
  what: string,
): Promise<Listening> {
  const server = createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new Error(`${what}: cannot listen on ${address.host ?? ''}:${address.port}: ${err.message}`, { cause: err }),
      ),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = !address.host || address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound.port}` };
}

export function serveMetrics(address: { host?: string; port: number }): Promise<Listening> {
  return listen(metricsHandler, address, 'metrics server');
}

export function serveProbes(
  address: { host?: string; port: number },
  health: Map<string, Check>,
  ready: Map<string, Check>,
): Promise<Listening> {
  return listen(probeHandler({ healthz: health, readyz: ready }), address, 'health probe server');
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
