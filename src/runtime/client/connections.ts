/**
 * The connections to one apiserver. Over TLS the first connection offers ALPN h2 and http/1.1:
 * when the server picks h2, one multiplexed HTTP/2 session carries every request and watch (a new
 * one is dialled, with backoff after failures, when it dies); otherwise, or with HTTP/2 disabled,
 * HTTP/1.1 keep-alive agents are used: a bounded pool for requests and an unbounded one for
 * watches (each watch holds its connection). Connections go through the proxy `proxy.ts` picks,
 * and all of them are replaced when the client certificate changes.
 */
import { constants as http2Constants, type IncomingHttpHeaders as Http2Headers } from 'node:http2';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import { sleep } from '../sleep.js';
import { Http2Session } from './http2-session.js';
import { connectThroughProxy } from './proxy.js';

export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  /** SNI and the name the certificate must carry; undefined for an IP address. */
  servername?: string;
}

export interface ConnectionOptions {
  http2: boolean;
  proxy?: URL;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Most HTTP/1.1 connections for non-watch requests. */
  maxConnections: number;
  /** Told when a connection died or the protocol was chosen (for logs and tests). */
  onEvent?: (event: ConnectionEvent) => void;
}

export type ConnectionEvent =
  { type: 'protocol'; protocol: 'h2' | 'http/1.1' } | { type: 'connection-lost'; error?: Error };

export interface RawRequest {
  method: string;
  /** Path and query: '/api/v1/namespaces/a/pods?limit=500'. */
  path: string;
  /** Lower-case names (HTTP/2 sends them so; HTTP/1.1 names are case-insensitive). */
  headers: Record<string, string | string[]>;
  /** The body, sent UTF-8 encoded. */
  payload?: string;
  signal?: AbortSignal;
  /** Until the response headers arrive; 0 for none. */
  timeoutMs: number;
}

export interface ResponseHead {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** A streamed answer (watches; any status). */
export interface RawResponse extends ResponseHead {
  body: Readable;
}

/** A whole answer, read into one buffer. */
export interface RawAnswer extends ResponseHead {
  body: Buffer;
}

/** Thrown when a request got no response headers within its timeout. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
}

export class Connections {
  private session?: Http2Session;
  private dialing?: Promise<Http2Session | undefined>;
  /** Bumped whenever every connection is dropped (certificate change, close): older dials are stale. */
  private generation = 0;
  private http1Only: boolean;
  private failures = 0;
  private agents?: { requests: http.Agent; streams: http.Agent };
  private material?: TlsMaterial;
  private readonly slots: Slots;
  /** The server's host (IPv6 unbracketed) and port, for dials and HTTP/1.1 requests. */
  private readonly target: { hostname: string; port: number };

  constructor(
    private readonly server: URL,
    private readonly options: ConnectionOptions,
  ) {
    this.http1Only = !options.http2 || server.protocol !== 'https:';
    this.slots = new Slots(options.maxConnections);
    this.target = {
      hostname: server.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(server.port) || (server.protocol === 'https:' ? 443 : 80),
    };
  }

  /** The protocol in use: undefined until the first TLS connection chose it. */
  get protocol(): 'h2' | 'http/1.1' | undefined {
    return this.http1Only ? 'http/1.1' : this.session ? 'h2' : undefined;
  }

  /** Sends a request; resolves with its whole answer, or (`streaming`) as soon as its headers arrive. */
  send(req: RawRequest, material: TlsMaterial, streaming: true): Promise<RawResponse>;
  send(req: RawRequest, material: TlsMaterial, streaming: false): Promise<RawAnswer>;
  async send(req: RawRequest, material: TlsMaterial, streaming: boolean): Promise<RawResponse | RawAnswer> {
    if (material !== this.material) this.useMaterial(material);
    if (!this.http1Only) {
      const session = await this.http2Session();
      if (session) return this.sendHttp2(session, req, streaming);
    }
    return this.sendHttp1(req, material, streaming);
  }

  /** After a request got no answer or a stream went silent: checks the session, drops idle HTTP/1.1 sockets. */
  suspect(): void {
    this.session?.check();
    for (const sockets of Object.values(this.agents?.requests.freeSockets ?? {}))
      for (const socket of sockets ?? []) socket.destroy();
  }

  /** Closes every connection (open streams fail). */
  close(): void {
    this.reset();
  }

  /** A new certificate or key drops every connection made with the old one. */
  private useMaterial(material: TlsMaterial): void {
    const previous = this.material;
    this.material = material;
    if (previous && (previous.cert !== material.cert || previous.key !== material.key)) this.reset();
  }

  private reset(): void {
    this.generation++;
    this.dialing = undefined;
    this.session?.close(true);
    this.session = undefined;
    this.agents?.requests.destroy();
    this.agents?.streams.destroy();
    this.agents = undefined;
  }

  private http2Session(): Promise<Http2Session | undefined> {
    if (this.session?.usable) return Promise.resolve(this.session);
    if (!this.dialing) {
      const dialing = this.dialHttp2(this.material!).finally(() => {
        if (this.dialing === dialing) this.dialing = undefined;
      });
      this.dialing = dialing;
    }
    return this.dialing;
  }

  private async dialHttp2(material: TlsMaterial): Promise<Http2Session | undefined> {
    const generation = this.generation;
    if (this.failures > 0) await sleep(Math.min(100 * 2 ** (this.failures - 1), 5_000) * (0.5 + Math.random() / 2));
    let socket: tls.TLSSocket;
    try {
      socket = await this.dialTls(material, ['h2', 'http/1.1']);
    } catch (e) {
      this.failures++;
      throw e;
    }
    this.failures = 0;
    if (generation !== this.generation) {
      // The certificate changed while dialling: this connection presents the old one.
      socket.destroy();
      return this.http2Session();
    }
    if (socket.alpnProtocol !== 'h2') {
      socket.destroy();
      this.http1Only = true;
      this.options.onEvent?.({ type: 'protocol', protocol: 'http/1.1' });
      return undefined;
    }
    const session = new Http2Session(this.server.origin, socket, {
      pingIntervalMs: this.options.pingIntervalMs,
      pingTimeoutMs: this.options.pingTimeoutMs,
      onClose: (closed, error) => {
        if (this.session === closed) this.session = undefined;
        if (error) this.options.onEvent?.({ type: 'connection-lost', error });
      },
    });
    this.session = session;
    this.options.onEvent?.({ type: 'protocol', protocol: 'h2' });
    return session;
  }

  /**
   * One stream. A whole answer is read straight into one buffer and resolved when the stream
   * closes: Node ends an HTTP/2 stream cleanly on RST_STREAM with CANCEL, so an answer the server
   * cut off would otherwise read as a complete, shorter one (an empty body parsed as "no
   * content"). A watch resolves with the stream and keeps the clean end: it resumes from its last
   * resourceVersion. The request's headers get the pseudo-headers added.
   */
  private sendHttp2(session: Http2Session, req: RawRequest, streaming: boolean): Promise<RawResponse | RawAnswer> {
    return new Promise((resolve, reject) => {
      const { headers } = req;
      headers[':method'] = req.method;
      headers[':path'] = req.path;
      const stream = session.request(headers, { endStream: req.payload === undefined, signal: req.signal });
      if (req.timeoutMs > 0) {
        stream.setTimeout(req.timeoutMs, () => {
          session.check();
          stream.destroy(new RequestTimeoutError(`no answer within ${req.timeoutMs} ms`));
        });
      }
      let head: ResponseHead | undefined;
      const chunks: Buffer[] = [];
      let ended = false;
      stream.once('response', (responseHeaders: Http2Headers) => {
        head = { status: Number(responseHeaders[':status']), headers: responseHeaders };
        if (streaming) {
          // A watch may stay quiet for minutes; its reader and the PINGs watch for silence instead.
          stream.setTimeout(0);
          resolve({ status: head.status, headers: responseHeaders, body: stream });
          return;
        }
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.once('end', () => (ended = true));
      });
      stream.on('error', reject);
      stream.once('close', () => {
        if (head && streaming) return;
        const code = stream.rstCode;
        if (!head) reject(streamError(`stream reset by the server before an answer (HTTP/2 code ${code})`));
        else if (code !== undefined && code !== http2Constants.NGHTTP2_NO_ERROR)
          reject(streamError(`stream reset by the server mid-answer (HTTP/2 code ${code})`));
        else if (!ended) reject(prematureClose());
        else resolve({ status: head.status, headers: head.headers, body: joined(chunks) });
      });
      if (req.payload !== undefined) stream.end(req.payload);
    });
  }

  private async sendHttp1(req: RawRequest, material: TlsMaterial, streaming: boolean): Promise<RawResponse | RawAnswer> {
    this.agents ??= { requests: this.agent(material, this.options.maxConnections), streams: this.agent(material) };
    const agent = streaming ? this.agents.streams : this.agents.requests;
    const client = this.server.protocol === 'https:' ? https : http;
    // Node's agents count a socket only once it exists, so with sockets dialled asynchronously
    // `maxSockets` alone would not bound them: a request holds a slot until its answer is read.
    const release = streaming ? undefined : await this.slots.acquire(req.signal);
    return new Promise<RawResponse | RawAnswer>((resolve, reject) => {
      const { hostname, port } = this.target;
      const options = { hostname, port, path: req.path, method: req.method, headers: req.headers, agent, signal: req.signal };
      const request = client.request(options, (res) => {
        const status = res.statusCode!;
        const headers = joinDistinct(res.headersDistinct, res.headers);
        if (streaming) {
          request.setTimeout(0);
          resolve({ status, headers, body: res });
          return;
        }
        res.once('close', release!);
        const chunks: Buffer[] = [];
        let ended = false;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => {
          ended = true;
          resolve({ status, headers, body: joined(chunks) });
        });
        res.on('error', reject);
        res.once('close', () => {
          if (!ended) reject(prematureClose());
        });
      });
      if (req.timeoutMs > 0) {
        request.setTimeout(req.timeoutMs, () => {
          this.suspect();
          request.destroy(new RequestTimeoutError(`no answer within ${req.timeoutMs} ms`));
        });
      }
      request.on('error', (error) => {
        release?.();
        reject(error);
      });
      request.end(req.payload);
    });
  }

  private agent(material: TlsMaterial, maxSockets?: number): http.Agent {
    const dial = (callback: (error: Error | null, socket?: net.Socket) => void) =>
      (this.server.protocol === 'https:' ? this.dialTls(material, ['http/1.1']) : this.dialPlain()).then(
        (socket) => callback(null, socket),
        (error: Error) => callback(error),
      );
    const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets ?? 256 };
    const agent = this.server.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    // Node's agents accept a socket handed to the callback later (return undefined).
    (agent as unknown as { createConnection: unknown }).createConnection = (
      _options: unknown,
      callback: (error: Error | null, socket?: net.Socket) => void,
    ) => {
      void dial(callback);
      return undefined;
    };
    return agent;
  }

  private async dialPlain(): Promise<net.Socket> {
    const { hostname, port } = this.target;
    if (this.options.proxy) return connectThroughProxy(this.options.proxy, hostname, port);
    return connected(net.connect(port, hostname), 'connect');
  }

  private async dialTls(material: TlsMaterial, ALPNProtocols: string[]): Promise<tls.TLSSocket> {
    const { hostname, port } = this.target;
    const tlsOptions: tls.ConnectionOptions = {
      ca: material.ca,
      cert: material.cert,
      key: material.key,
      rejectUnauthorized: material.rejectUnauthorized,
      servername: material.servername,
      ALPNProtocols,
    };
    if (material.servername === undefined) {
      // An IP address: no SNI, and the certificate is checked against the IP.
      tlsOptions.checkServerIdentity = (_name, cert) => tls.checkServerIdentity(hostname, cert);
    }
    const socket = this.options.proxy
      ? tls.connect({ ...tlsOptions, socket: await connectThroughProxy(this.options.proxy, hostname, port) })
      : tls.connect({ ...tlsOptions, host: hostname, port });
    return connected(socket, 'secureConnect');
  }
}

const joined = (chunks: Buffer[]): Buffer => (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));

const streamError = (message: string) => Object.assign(new Error(message), { code: 'ERR_HTTP2_STREAM_ERROR' });

/** The answer's stream closed before its end (connection lost mid-answer). */
const prematureClose = () =>
  Object.assign(new Error('the connection closed before the end of the answer'), {
    code: 'ERR_STREAM_PREMATURE_CLOSE',
  });

function connected<S extends net.Socket>(socket: S, event: 'connect' | 'secureConnect'): Promise<S> {
  return new Promise((resolve, reject) => {
    socket.once(event, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Node's distinct headers (lists) where a header repeats, so `Warning` keeps every value. */
function joinDistinct(
  distinct: NodeJS.Dict<string[]>,
  joined: IncomingHttpHeaders,
): Record<string, string | string[] | undefined> {
  return { ...joined, warning: distinct.warning };
}

/** At most `size` holders at once; the others wait in order. */
class Slots {
  private readonly waiting: (() => void)[] = [];

  constructor(private free: number) {}

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.free > 0) this.free--;
    else {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          this.waiting.splice(this.waiting.indexOf(grant), 1);
          reject(signal!.reason);
        };
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiting.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
