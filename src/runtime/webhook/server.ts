/**
 * The webhook server: HTTPS (TLS ≥ 1.2) on 9443 by default, serving certificates from a
 * directory with hot reload, one `ReviewHandler` per path. Every request is bounded (body size,
 * timeout), counted and timed under controller-runtime's metric names, and anything a handler
 * throws is caught and answered as an error review, so one bad webhook never stops the server.
 * A manager runnable that does not need leader election (every replica serves).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newLogger, type Logger } from '../log.js';
import type { Runnable } from '../types.js';
import { BadReviewError, type ReviewHandler } from './admission.js';
import { CertificateWatcher, type CertificateFiles } from './certificate-watcher.js';
import { ConversionRegistry } from './conversion.js';
import { webhookMetrics } from './metrics.js';

export const DEFAULT_WEBHOOK_PORT = 9443;
/** Where kubebuilder's (and so cert-manager's kustomize overlay) serving certificate is mounted. */
export const DEFAULT_CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';
/** The apiserver itself sends at most ~3 MiB objects; controller-runtime caps bodies at 7 MiB. */
const DEFAULT_MAX_BODY_BYTES = 7 * 1024 * 1024;

export interface WebhookServerOptions extends Partial<CertificateFiles> {
  /** Default: all interfaces. */
  host?: string;
  /** Default 9443; 0 picks a free port (see `port` once started). */
  port?: number;
  maxBodyBytes?: number;
  /** A handler still running after this long is answered with an error. Default 10 s (the apiserver's default). */
  timeoutMs?: number;
  logger?: Logger;
}

/** Options from `KUBEFORGE_WEBHOOK_HOST`, `KUBEFORGE_WEBHOOK_PORT` and `KUBEFORGE_WEBHOOK_CERT_DIR` (what `kubeforge run --webhooks` sets). */
export function webhookServerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookServerOptions {
  const options: WebhookServerOptions = {};
  if (env.KUBEFORGE_WEBHOOK_HOST) options.host = env.KUBEFORGE_WEBHOOK_HOST;
  if (env.KUBEFORGE_WEBHOOK_CERT_DIR) options.certDir = env.KUBEFORGE_WEBHOOK_CERT_DIR;
  if (env.KUBEFORGE_WEBHOOK_PORT) {
    const port = Number(env.KUBEFORGE_WEBHOOK_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`KUBEFORGE_WEBHOOK_PORT: "${env.KUBEFORGE_WEBHOOK_PORT}" is not a port number (0-65535)`);
    }
    options.port = port;
  }
  return options;
}

export class WebhookServer implements Runnable {
  readonly needLeaderElection = false;
  /** The hubs and spokes of the kinds this server converts (`conversionFor` adds them and serves them on `/convert`). */
  readonly conversions = new ConversionRegistry();
  private readonly handlers = new Map<string, ReviewHandler>();
  private readonly logger: Logger;
  private server: Server | undefined;
  private listening = false;

  constructor(private readonly options: WebhookServerOptions = {}) {
    this.logger = (options.logger ?? newLogger()).child({ component: 'webhook-server' });
  }

  /** Serves `handler` on `path` (`/mutate-…`, `/validate-…`, `/convert`). */
  register(path: string, handler: ReviewHandler): void {
    if (!path.startsWith('/')) throw new Error(`webhook path "${path}" must start with /`);
    if (this.handlers.has(path)) throw new Error(`webhook path ${path} is already registered`);
    this.handlers.set(path, handler);
  }

  has(path: string): boolean {
    return this.handlers.has(path);
  }

  /** The bound port once started. */
  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the webhook server is not listening');
    return address.port;
  }

  /** Passes once the server listens with a loaded certificate (add it as a ready check). */
  readyCheck = (): void => {
    if (!this.listening) throw new Error('webhook server is not serving yet');
  };

  async start(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const certs = new CertificateWatcher(
      {
        certDir: this.options.certDir ?? DEFAULT_CERT_DIR,
        certName: this.options.certName,
        keyName: this.options.keyName,
      },
      (pair) => {
        this.server?.setSecureContext({ minVersion: 'TLSv1.2', ...pair });
        this.logger.info('serving certificate reloaded');
      },
      (error) => this.logger.error({ err: error }, 'watching the certificate directory failed'),
    );
    const pair = await certs.start();
    const server = createServer({ minVersion: 'TLSv1.2', ...pair }, (req, res) => void this.serve(req, res, signal));
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.options.port ?? DEFAULT_WEBHOOK_PORT, this.options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      certs.stop();
      throw new Error(
        `webhook server: cannot listen on ${this.options.host ?? ''}:${this.options.port ?? DEFAULT_WEBHOOK_PORT}`,
        { cause: error },
      );
    }
    this.listening = true;
    this.logger.info({ port: this.port, paths: [...this.handlers.keys()] }, 'webhook server listening');
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    this.listening = false;
    certs.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse, stopped: AbortSignal): Promise<void> {
    const path = new URL(req.url ?? '/', 'https://webhook').pathname;
    const handler = this.handlers.get(path);
    if (!handler) return void respond(res, 404, { error: `no webhook is served on ${path}` });
    if (req.method !== 'POST') return void respond(res, 405, { error: 'webhooks accept POST only' });
    const started = process.hrtime.bigint();
    webhookMetrics.requestsInFlight.inc({ webhook: path });
    let code = 200;
    try {
      const body = await readBody(req, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      if (body === 'too large') {
        code = 413;
        return void respond(res, code, { error: 'request body too large' });
      }
      let decoded: unknown;
      try {
        decoded = JSON.parse(body);
      } catch {
        code = 400;
        return void respond(res, code, { error: 'request body is not JSON' });
      }
      respond(res, code, await this.answer(handler, decoded, path, stopped));
    } catch (error) {
      code = 500;
      this.logger.error({ err: error, webhook: path }, 'serving a webhook request failed');
      respond(res, code, { error: 'internal error' });
    } finally {
      webhookMetrics.requestsInFlight.dec({ webhook: path });
      webhookMetrics.requestsTotal.inc({ webhook: path, code: String(code) });
      webhookMetrics.latencySeconds.observe({ webhook: path }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /** The handler's review, or an error review when it throws or runs past the timeout. */
  private async answer(handler: ReviewHandler, body: unknown, path: string, stopped: AbortSignal): Promise<unknown> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([timeout, stopped]);
    const log = this.logger.child({ webhook: path });
    const timedOut = new Promise<unknown>((resolve) =>
      signal.addEventListener(
        'abort',
        () => resolve(handler.fail(body, 504, `webhook ${path} timed out after ${timeoutMs} ms`)),
        {
          once: true,
        },
      ),
    );
    const handled = handler.handle(body, signal, log).catch((error: unknown) => {
      if (error instanceof BadReviewError) return handler.fail(body, 400, error.message);
      log.error({ err: error }, 'webhook handler threw');
      const message = error instanceof Error ? error.message : String(error);
      return handler.fail(body, 500, `internal error in webhook ${path}: ${message}`);
    });
    return Promise.race([handled, timedOut]);
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? 'too large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function respond(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
