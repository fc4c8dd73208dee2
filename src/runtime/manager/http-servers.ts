/**
 * The manager's two small endpoints, on the runtime's hardened servers (bounded request heads and
 * times, generic error bodies): `/metrics` (Prometheus text from the registry) — by default over
 * HTTPS behind authentication and authorization (a TokenReview and a SubjectAccessReview for `get`
 * on `/metrics`), with a certificate from a directory (reloaded on rotation) or a self-signed one
 * made at start; plain HTTP for local development — and the probes `/healthz` and `/readyz` over
 * plain HTTP, as the kubelet calls them (every check must pass; `/readyz/<name>` runs one check;
 * `?verbose` lists each). Failing checks answer 500 with the reason.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import { metricsRegistry, registerProcessMetrics, withAuthenticationAndAuthorization } from '../metrics/index.js';
import {
  CertificateWatcher,
  HardenedServer,
  selfSignedServingCertificate,
  type CertificatePair,
  type ServerLimits,
} from '../serving/index.js';
import type { DirectClient } from '../client/index.js';
import type { MetricsServerOptions } from './options.js';

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

function metricsHandler(logger: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (new URL(req.url ?? '/', 'http://metrics').pathname !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    try {
      const body = await metricsRegistry.metrics();
      res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body);
    } catch (err) {
      logger.error({ err }, 'collecting metrics failed');
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error\n');
    }
  };
}

/** A listening server: the URL it is reachable at, and how to stop it. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

export interface MetricsServing extends MetricsServerOptions {
  /** Creates the TokenReviews and SubjectAccessReviews of secure serving. */
  client: DirectClient;
  logger: Logger;
  enableHTTP2?: boolean;
  limits?: Partial<ServerLimits>;
}

/** The serving certificate of the metrics server: from `certDir`, reloaded on rotation; else self-signed. */
async function metricsCertificate(
  options: MetricsServing,
  reload: (pair: CertificatePair) => void,
): Promise<{ pair: CertificatePair; stop(): void }> {
  if (!options.certDir) {
    options.logger.info('metrics server: no --metrics-cert-path, serving a self-signed certificate made at start');
    const pair = await selfSignedServingCertificate('kubeforge-metrics', [hostname()]);
    return { pair, stop: () => {} };
  }
  const watcher = new CertificateWatcher(
    { certDir: options.certDir, certName: options.certName, keyName: options.keyName },
    {
      server: 'metrics server',
      hint: 'Mount the certificate Secret there (e.g. one cert-manager issues), or leave --metrics-cert-path unset for a self-signed one.',
    },
    reload,
    (err) => options.logger.error({ err }, 'watching the metrics certificate directory failed'),
  );
  return { pair: await watcher.start(), stop: () => watcher.stop() };
}

export async function serveMetrics(
  address: { host?: string; port: number },
  options: MetricsServing,
): Promise<Listening> {
  const logger = options.logger.child({ component: 'metrics-server' });
  registerProcessMetrics();
  const handler = metricsHandler(logger);
  if (options.secure === false) {
    const server = new HardenedServer((req, res) => void handler(req, res), { limits: options.limits });
    return { url: await server.listen(address, 'metrics server'), close: () => server.close() };
  }
  const filtered = withAuthenticationAndAuthorization({
    client: options.client,
    logger,
    cacheTtlMs: options.authCacheTtlMs,
  })(handler);
  const serving: { server?: HardenedServer } = {};
  const certificate = await metricsCertificate(options, (pair) => {
    serving.server?.setCertificate(pair);
    logger.info('metrics serving certificate reloaded');
  });
  const server = new HardenedServer((req, res) => void filtered(req, res), {
    tls: certificate.pair,
    enableHTTP2: options.enableHTTP2,
    limits: options.limits,
  });
  serving.server = server;
  const url = await server.listen(address, 'metrics server').catch((err: unknown) => {
    certificate.stop();
    throw err;
  });
  return {
    url,
    close: async () => {
      certificate.stop();
      await server.close();
    },
  };
}

export async function serveProbes(
  address: { host?: string; port: number },
  health: Map<string, Check>,
  ready: Map<string, Check>,
  limits?: Partial<ServerLimits>,
): Promise<Listening> {
  const handler = probeHandler({ healthz: health, readyz: ready });
  const server = new HardenedServer((req, res) => void handler(req, res), { limits });
  return { url: await server.listen(address, 'health probe server'), close: () => server.close() };
}
