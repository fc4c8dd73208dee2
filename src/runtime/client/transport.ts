/**
 * The REST transport, client-go's `rest.Config` transport in Node terms: JSON requests and watch
 * streams over one HTTP/2 session per apiserver (HTTP/1.1 when the server or the options say so;
 * `connections.ts`), a client-side token-bucket rate limit (`rate-limit.ts`), credentials
 * resolved before each attempt (`credentials.ts`), impersonation headers, gzip, retries (`retry.ts`)
 * and apiserver `Warning` headers logged once per distinct text. Paths keep the server URL's path
 * prefix (Rancher's `https://host/k8s/clusters/c-xyz`). Every request is reported to the REST
 * metrics observers.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import net from 'node:net';
import { sleep } from '../sleep.js';
import type { RestConfig } from '../types.js';
import {
  Connections,
  type ConnectionEvent,
  type RawAnswer,
  type RawResponse,
  type TlsMaterial,
} from './connections.js';
import { CredentialSource, type Credentials } from './credentials.js';
import { ApiError, type StatusBody } from './errors.js';
import type { ExecOptions } from './exec-credentials.js';
import { reportRestRequest } from './metrics.js';
import { proxyFor } from './proxy.js';
import { TokenBucket } from './rate-limit.js';
import { retryDelayMs } from './retry.js';
import { impersonationHeaders, WarningLog } from './headers.js';

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
  /** Timeout of one non-watch request, ms (until the whole answer arrived). Default 60 s. */
  requestTimeoutMs?: number;
  /** Retries of a request the server answered 429/5xx with Retry-After, or of a GET whose connection broke. Default 10. */
  maxRetries?: number;
  /** Client-side rate limit, requests per second; negative disables it. Default 20. */
  qps?: number;
  /** Requests allowed at once above `qps`. Default 30. */
  burst?: number;
  /** HTTP/2 when the server offers it (ALPN). Default true unless the DISABLE_HTTP2 environment variable is set. */
  http2?: boolean;
  /** Ping an HTTP/2 connection after this long without data. Default HTTP2_READ_IDLE_TIMEOUT_SECONDS or 30 s; 0 disables. */
  http2PingIntervalMs?: number;
  /** Declare it dead when a ping is not answered within this. Default HTTP2_PING_TIMEOUT_SECONDS or 15 s. */
  http2PingTimeoutMs?: number;
  /** Most HTTP/1.1 connections for requests (watches each get their own). Default 25. */
  maxConnections?: number;
  /** How often client certificate files are checked for changes. Default 60 s. */
  certReloadIntervalMs?: number;
  /** Exec credential plugins: time limit and where their stderr goes. */
  exec?: ExecOptions;
  /** Receives apiserver warnings (once per distinct text); default: stderr. */
  logger?: { warn(message: string): void };
  /** Connection events: the protocol chosen, a connection found dead. */
  onConnectionEvent?: (event: ConnectionEvent) => void;
}

const DEFAULT_USER_AGENT = `kubeforge (node ${process.version}; ${process.platform}/${process.arch})`;
const JSON_TYPE = 'application/json';
const gunzipped = promisify(gunzip);

export class Transport {
  readonly server: URL;
  private readonly basePath: string;
  private readonly connections: Connections;
  private readonly credentials: CredentialSource;
  private readonly limiter?: TokenBucket;
  private readonly requestTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly warnings: WarningLog;
  /** Headers of every request, names in lower case as HTTP/2 sends them. */
  private readonly fixedHeaders: Record<string, string | string[]>;
  /** SNI and the name the serving certificate must carry; undefined for an IP address. */
  private readonly servername?: string;
  /** The TLS material of the last request: the same object while the client certificate stays. */
  private material?: TlsMaterial;

  constructor(
    private readonly config: RestConfig,
    options: TransportOptions = {},
  ) {
    this.server = new URL(config.server);
    this.basePath = this.server.pathname.replace(/\/+$/, '');
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 10;
    const qps = options.qps ?? 20;
    if (qps >= 0) this.limiter = new TokenBucket(qps, options.burst ?? 30);
    this.credentials = new CredentialSource(config, options.certReloadIntervalMs, options.exec);
    this.warnings = new WarningLog(options.logger);
    this.fixedHeaders = Object.fromEntries(
      Object.entries({
        'User-Agent': config.userAgent ?? DEFAULT_USER_AGENT,
        ...(config.disableCompression ? {} : { 'Accept-Encoding': 'gzip' }),
        ...impersonationHeaders(config.impersonate),
      }).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const host = this.server.hostname.replace(/^\[(.*)\]$/, '$1');
    this.servername = config.tlsServerName ?? (net.isIP(host) ? undefined : host);
    const seconds = (name: string) => (process.env[name] ? Number(process.env[name]) * 1000 : undefined);
    this.connections = new Connections(this.server, {
      http2: options.http2 ?? !process.env.DISABLE_HTTP2,
      proxy: proxyFor(this.server, config.proxyUrl),
      pingIntervalMs: options.http2PingIntervalMs ?? seconds('HTTP2_READ_IDLE_TIMEOUT_SECONDS') ?? 30_000,
      pingTimeoutMs: options.http2PingTimeoutMs ?? seconds('HTTP2_PING_TIMEOUT_SECONDS') ?? 15_000,
      maxConnections: options.maxConnections ?? 25,
      onEvent: options.onConnectionEvent,
    });
  }

  /** 'h2' or 'http/1.1' once the first TLS connection chose; undefined before. */
  get protocol(): 'h2' | 'http/1.1' | undefined {
    return this.connections.protocol;
  }

  /** Sends a request and parses the JSON answer; non-2xx answers throw `ApiError`. */
  async request<T>(req: RestRequest): Promise<T> {
    const { body } = await this.exchange(req, false);
    return (body.length === 0 ? undefined : JSON.parse(body.toString('utf8'))) as T;
  }

  /** Opens a streaming GET (watch); resolves with the 2xx response body, otherwise throws `ApiError`. */
  async stream(req: RestRequest): Promise<Readable> {
    return (await this.exchange(req, true)).body;
  }

  /** Closes every connection. */
  close(): void {
    this.connections.close();
  }

  /**
   * After a stream went silent or a request got no answer: the connection it used is suspect. An
   * HTTP/2 session is pinged (and replaced when it does not answer); pooled idle HTTP/1.1 sockets
   * are destroyed, so the next request connects afresh.
   */
  dropIdleSockets(): void {
    this.connections.suspect();
  }

  private exchange(req: RestRequest, streaming: true): Promise<RawResponse>;
  private exchange(req: RestRequest, streaming: false): Promise<RawAnswer>;
  private async exchange(req: RestRequest, streaming: boolean): Promise<RawResponse | RawAnswer> {
    // Serialised once for every attempt.
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      await this.limiter?.take(req.signal);
      const credentials = await this.credentials.current();
      let res: RawResponse | RawAnswer;
      try {
        res = await this.send(req, payload, credentials, streaming);
      } catch (error) {
        const delay = attempt < this.maxRetries ? retryDelayMs(req.method, undefined, error) : undefined;
        if (delay === undefined || req.signal?.aborted) throw error;
        await sleep(delay, req.signal);
        req.signal?.throwIfAborted();
        continue;
      }
      if (res.status < 300) return res;
      const text = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : await readBody(res.body, req.signal);
      if (res.status === 401 && !reauthenticated && (await this.credentials.unauthorized(credentials))) {
        reauthenticated = true;
        continue;
      }
      const delay = attempt < this.maxRetries ? retryDelayMs(req.method, res) : undefined;
      if (delay === undefined) throw errorFromResponse(req, res.status, text);
      await sleep(delay, req.signal);
      req.signal?.throwIfAborted();
    }
  }

  private async send(
    req: RestRequest,
    payload: string | undefined,
    credentials: Credentials,
    streaming: boolean,
  ): Promise<RawResponse | RawAnswer> {
    const headers: Record<string, string | string[]> = {
      accept: req.accept ?? JSON_TYPE,
      ...this.fixedHeaders,
      ...credentials.headers,
    };
    if (payload !== undefined) {
      headers['content-type'] = req.contentType ?? JSON_TYPE;
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const raw = {
      method: req.method,
      path: pathWithQuery(`${this.basePath}${encodedPath(req.path)}`, req.query),
      headers,
      payload,
      signal: req.signal,
      timeoutMs: req.timeoutMs ?? this.requestTimeoutMs,
    };
    const started = performance.now();
    let code = '<error>';
    try {
      const material = this.tlsMaterial(credentials);
      const res = streaming
        ? await this.connections.send(raw, material, true)
        : await this.connections.send(raw, material, false);
      code = String(res.status);
      this.warnings.record(res.headers.warning);
      if (res.headers['content-encoding'] !== 'gzip') return res;
      return Buffer.isBuffer(res.body)
        ? { ...res, body: await gunzipped(res.body) }
        : { ...res, body: pipeline(res.body, createGunzip(), () => {}) };
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      const what = req.description ?? `${req.method} ${req.path}`;
      throw new Error(`${what}: ${this.server.host}: ${(error as Error).message}`, { cause: error });
    } finally {
      reportRestRequest({ method: req.method, code, host: this.server.host, durationMs: performance.now() - started });
    }
  }

  /** The TLS options of new connections: the last object again while the client certificate stays. */
  private tlsMaterial({ cert, key }: Credentials): TlsMaterial {
    const last = this.material;
    if (last !== undefined && last.cert === cert && last.key === key) return last;
    this.material = {
      ca: this.config.caData,
      cert,
      key,
      rejectUnauthorized: !this.config.insecureSkipTlsVerify,
      servername: this.servername,
    };
    return this.material;
  }
}

/** Characters a URL path carries percent-encoded (WHATWG's path percent-encode set). */
const PATH_UNSAFE = /[^!-~]|["#<>?`{}]/gu;

/** The path as the URL's pathname setter encodes it (paths are mostly encoded already: checked first). */
function encodedPath(path: string): string {
  PATH_UNSAFE.lastIndex = 0;
  return PATH_UNSAFE.test(path) ? path.replace(PATH_UNSAFE, (char) => encodeURIComponent(char)) : path;
}

/** `path?name=value&…`, skipping undefined and empty values. */
function pathWithQuery(path: string, query: RestRequest['query']): string {
  let separator = '?';
  for (const name in query) {
    const value = query[name];
    if (value === undefined || value === '') continue;
    path += `${separator}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
    separator = '&';
  }
  return path;
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

async function readBody(body: Readable, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk as Buffer);
  } catch (e) {
    throw signal?.aborted ? signal.reason : e;
  }
  return Buffer.concat(chunks).toString('utf8');
}
