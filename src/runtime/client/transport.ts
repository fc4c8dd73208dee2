/**
 * The REST transport: JSON requests and watch streams over node:http(s) with one keep-alive
 * agent per client. Authenticates with client certificates, a bearer token, a token file
 * (re-read every minute and on 401, as projected service-account tokens rotate) or plugin
 * headers; reports every request to the REST metrics observers.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { PluginRestConfig } from '../config.js';
import { sleep } from '../sleep.js';
import type { RestConfig } from '../types.js';
import { ApiError, type StatusBody } from './errors.js';
import { reportRestRequest } from './metrics.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest {
  method: HttpMethod;
  /** Absolute API path: '/apis/apps/v1/namespaces/default/deployments'. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialised as JSON. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Overrides the transport's request timeout (for streams: until the response headers arrive). */
  timeoutMs?: number;
  /** Names the request in errors: 'get Deployment.apps/v1 "ns/name"'. */
  description?: string;
}

export interface TransportOptions {
  /** Timeout of one non-watch request, ms. Default 60 s. */
  requestTimeoutMs?: number;
  /** Retries of a request the server answered 429 with Retry-After. Default 3. */
  maxRetries?: number;
}

const TOKEN_FILE_TTL_MS = 60_000;
const DEFAULT_USER_AGENT = `kubeforge (node ${process.version}; ${process.platform}/${process.arch})`;

export class Transport {
  readonly server: URL;
  private readonly agent: http.Agent;
  private readonly client: typeof http | typeof https;
  private readonly requestTimeoutMs: number;
  private readonly maxRetries: number;
  private tokenFromFile?: { token: string; readAt: number };

  constructor(
    private readonly config: RestConfig,
    options: TransportOptions = {},
  ) {
    this.server = new URL(config.server);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 3;
    const secure = this.server.protocol === 'https:';
    this.client = secure ? https : http;
    this.agent = secure
      ? new https.Agent({
          keepAlive: true,
          ca: config.caData,
          cert: config.certData,
          key: config.keyData,
          rejectUnauthorized: !config.insecureSkipTlsVerify,
        })
      : new http.Agent({ keepAlive: true });
  }

  /** Sends a request and parses the JSON answer; non-2xx answers throw `ApiError`. */
  async request<T>(req: RestRequest): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(req, attempt > 0);
      const text = await readBody(res, req.signal);
      if (res.statusCode! < 300) return (text === '' ? undefined : JSON.parse(text)) as T;
      const retryAfter = Number(res.headers['retry-after']);
      if (res.statusCode === 429 && attempt < this.maxRetries && Number.isFinite(retryAfter)) {
        await sleep(Math.min(retryAfter, 10) * 1000, req.signal);
        req.signal?.throwIfAborted();
        continue;
      }
      if (res.statusCode === 401 && attempt === 0 && this.config.tokenFile) continue;
      throw errorFromResponse(req, res.statusCode!, text);
    }
  }

  /** Opens a streaming GET (watch); resolves with the 200 response, otherwise throws `ApiError`. */
  async stream(req: RestRequest): Promise<IncomingMessage> {
    const res = await this.send(req, false, true);
    if (res.statusCode === 200) return res;
    throw errorFromResponse(req, res.statusCode!, await readBody(res, req.signal));
  }

  /** Closes every keep-alive socket. */
  close(): void {
    this.agent.destroy();
  }

  /**
   * Destroys the pooled idle sockets. After a stream went silent or a request got no answer,
   * the connections pooled beside it are suspect too; the next request then opens a fresh one.
   */
  dropIdleSockets(): void {
    for (const sockets of Object.values(this.agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }

  private async send(req: RestRequest, reloadToken: boolean, streaming = false): Promise<IncomingMessage> {
    const url = new URL(req.path, this.server);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { Accept: req.accept ?? 'application/json' };
    headers['User-Agent'] = this.config.userAgent ?? DEFAULT_USER_AGENT;
    Object.assign(headers, await this.authHeaders(reloadToken));
    let payload: Buffer | undefined;
    if (req.body !== undefined) {
      payload = Buffer.from(JSON.stringify(req.body));
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const timeoutMs = req.timeoutMs ?? this.requestTimeoutMs;
    const started = performance.now();
    const observe = (code: string) =>
      reportRestRequest({ method: req.method, code, host: this.server.host, durationMs: performance.now() - started });
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = this.client.request(
        url,
        { method: req.method, headers, agent: this.agent, signal: req.signal },
        (res) => {
          observe(String(res.statusCode));
          // A stream may stay quiet for minutes; its reader watches for silence instead.
          if (streaming) request.setTimeout(0);
          resolve(res);
        },
      );
      if (timeoutMs > 0) {
        request.setTimeout(timeoutMs, () => {
          this.dropIdleSockets();
          request.destroy(new Error(`no answer within ${timeoutMs} ms`));
        });
      }
      request.on('error', (error) => {
        observe('<error>');
        const what = req.description ?? `${req.method} ${req.path}`;
        reject(
          req.signal?.aborted
            ? req.signal.reason
            : new Error(`${what}: ${url.host}: ${error.message}`, { cause: error }),
        );
      });
      request.end(payload);
    });
  }

  private async authHeaders(reloadToken: boolean): Promise<Record<string, string>> {
    const plugin = (this.config as PluginRestConfig).authHeaders;
    if (plugin) return plugin();
    const token = this.config.tokenFile ? this.readTokenFile(reloadToken) : this.config.token;
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  private readTokenFile(reload: boolean): string {
    const now = Date.now();
    if (reload || !this.tokenFromFile || now - this.tokenFromFile.readAt > TOKEN_FILE_TTL_MS) {
      this.tokenFromFile = { token: readFileSync(this.config.tokenFile!, 'utf8').trim(), readAt: now };
    }
    return this.tokenFromFile.token;
  }
}

function errorFromResponse(req: RestRequest, status: number, text: string): ApiError {
  let body: StatusBody | undefined;
  try {
    const parsed = JSON.parse(text) as StatusBody;
    if (parsed && parsed.kind === 'Status') body = parsed;
  } catch {
    // not a Status object: the raw text becomes the message
  }
  return new ApiError(req.description ?? `${req.method} ${req.path}`, status, body, body ? undefined : text);
}

async function readBody(res: IncomingMessage, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res) chunks.push(chunk as Buffer);
  } catch (e) {
    throw signal?.aborted ? signal.reason : e;
  }
  return Buffer.concat(chunks).toString('utf8');
}
