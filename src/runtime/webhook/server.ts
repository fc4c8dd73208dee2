/**
 * The webhook server: HTTPS on 9443 by default (the runtime's hardened server: TLS ≥ 1.2 with AEAD
 * suites, HTTP/1.1 unless `enableHTTP2`, bounded request heads and times), serving certificates
 * from a directory with hot reload, one `ReviewHandler` per path. Every request is bounded (body
 * size, handler timeout), counted and timed under controller-runtime's metric names, and anything
 * a handler throws is caught, logged and answered as an error review with a generic message, so one
 * bad webhook never stops the server and nothing internal reaches the apiserver's client.
 * A manager runnable that does not need leader election (every replica serves).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newLogger, type Logger } from '../log.js';
import { CertificateWatcher, HardenedServer, type CertificateFiles, type ServerLimits } from '../serving/index.js';
import type { Runnable } from '../types.js';
import { BadReviewError, type ReviewHandler } from './admission.js';
import { ConversionRegistry } from './conversion.js';
import { webhookMetrics } from './metrics.js';

export const DEFAULT_WEBHOOK_PORT = 9443;
/** Where kubebuilder's (and so cert-manager's kustomize overlay) serving certificate is mounted. */
export const DEFAULT_CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';
/**
 * An AdmissionReview of an update carries the object and the old object, each up to etcd's ~1.5 MiB
 * (the apiserver refuses requests over 3 MiB), plus JSON overhead: controller-runtime caps webhook
 * bodies at 7 MiB, and so do we.
 */
const DEFAULT_MAX_BODY_BYTES = 7 * 1024 * 1024;
/** The apiserver's default webhook timeout. */
const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookServerOptions extends Partial<CertificateFiles> {
  /** Default: all interfaces. */
  host?: string;
  /** Default 9443; 0 picks a free port (see `port` once started). */
  port?: number;
  maxBodyBytes?: number;
  /** A handler still running after this long is answered with an error. Default 10 s (the apiserver's default). */
  timeoutMs?: number;
  /** Offer HTTP/2 as well as HTTP/1.1. Default false (CVE-2023-44487, as kubebuilder's `--enable-http2`). */
  enableHTTP2?: boolean;
  /** Request head size and time limits; see `DEFAULT_SERVER_LIMITS`. */
  limits?: Partial<ServerLimits>;
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
  private server: HardenedServer | undefined;
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
    if (!this.server) throw new Error('the webhook server is not listening');
    return this.server.port;
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
      {
        server: 'webhook server',
        hint:
          'In a cluster, mount the cert-manager Secret there (config/certmanager); locally, run `kubeforge run --webhooks`, ' +
          'which creates a certificate and sets KUBEFORGE_WEBHOOK_CERT_DIR.',
      },
      (pair) => {
        this.server?.setCertificate(pair);
        this.logger.info('serving certificate reloaded');
      },
      (error) => this.logger.error({ err: error }, 'watching the certificate directory failed'),
    );
    const server = new HardenedServer((req, res) => void this.serve(req, res, signal), {
      tls: await certs.start(),
      enableHTTP2: this.options.enableHTTP2,
      limits: this.options.limits,
    });
    this.server = server;
    try {
      await server.listen(
        { host: this.options.host, port: this.options.port ?? DEFAULT_WEBHOOK_PORT },
        'webhook server',
      );
    } catch (error) {
      certs.stop();
      throw error;
    }
    this.listening = true;
    this.logger.info(
      { port: this.port, paths: [...this.handlers.keys()], http2: this.options.enableHTTP2 ?? false },
      'webhook server listening',
    );
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    this.listening = false;
    certs.stop();
    await server.close(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
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
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
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
      log.error({ err: error, uid: reviewUid(body) }, 'webhook handler threw');
      return handler.fail(
        body,
        500,
        `internal error in webhook ${path} (logged by the operator with uid ${reviewUid(body)})`,
      );
    });
    return Promise.race([handled, timedOut]);
  }
}

/** The request uid of a review, which the operator's log and the error message share. */
function reviewUid(body: unknown): string {
  const uid = (body as { request?: { uid?: unknown } } | null)?.request?.uid;
  return typeof uid === 'string' ? uid : 'unknown';
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
