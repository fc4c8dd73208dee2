/**
 * The HTTP(S) servers of the runtime (metrics, health probes, webhooks), hardened the same way:
 * - TLS with the settings of `./tls.ts`, the certificate swappable while serving (rotation);
 * - HTTP/1.1 only unless HTTP/2 is asked for: HTTP/2 stream resets made the "rapid reset" denial
 *   of service (CVE-2023-44487), so, as kubebuilder's `--enable-http2=false`, a client that offers
 *   only h2 is refused during the handshake (no_application_protocol);
 * - bounded requests: the request head (431 beyond `maxHeaderBytes`), the time to send the headers
 *   (`headersTimeoutMs`: a client trickling them byte by byte is answered 408 and disconnected) and
 *   the whole request (`requestTimeoutMs`), idle keep-alive connections (`keepAliveTimeoutMs`).
 * Handlers answer errors with a generic message and log the details: nothing internal (stack
 * traces, error messages) reaches a client.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2Session } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';
import { TLS_SERVER_OPTIONS, type CertificatePair } from './tls.js';

export interface ServerLimits {
  /** Largest request line + headers, in bytes; a larger head is answered 431. Default 16 KiB. */
  maxHeaderBytes: number;
  /** Time a client has to send the complete headers; later: 408 and the connection is closed. Default 10 s. */
  headersTimeoutMs: number;
  /** Time a client has to send the complete request (headers and body). Default 30 s. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open. Default 5 s. */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ServerOptions {
  /** Serve HTTPS with this certificate; plain HTTP without. */
  tls?: CertificatePair;
  /** Offer HTTP/2 (ALPN h2) besides HTTP/1.1; only with `tls`. Default false. */
  enableHTTP2?: boolean;
  limits?: Partial<ServerLimits>;
}

/** Limits as the properties Node's HTTP/1 servers (and HTTP/2's HTTP/1 fallback) read. */
interface HttpLimitProperties {
  maxHeaderSize?: number;
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout?: number;
  connectionsCheckingInterval?: number;
}

export class HardenedServer {
  readonly server: Server;
  readonly secure: boolean;
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<Http2Session>();

  constructor(handler: RequestHandler, options: ServerOptions = {}) {
    const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
    this.secure = options.tls !== undefined;
    const http1 = { maxHeaderSize: limits.maxHeaderBytes };
    if (!options.tls) {
      this.server = createHttpServer(http1, handler);
    } else if (options.enableHTTP2) {
      const h2 = createSecureServer(
        {
          ...TLS_SERVER_OPTIONS,
          ...options.tls,
          allowHTTP1: true,
          settings: { maxHeaderListSize: limits.maxHeaderBytes, maxConcurrentStreams: 100 },
        },
        // HTTP/2's compatibility API gives handlers a request and response shaped like HTTP/1's.
        handler as unknown as Parameters<typeof createSecureServer>[1],
      );
      h2.on('session', (session: Http2Session) => {
        this.sessions.add(session);
        session.once('close', () => this.sessions.delete(session));
      });
      this.server = h2;
    } else {
      this.server = createHttpsServer({ ...TLS_SERVER_OPTIONS, ...options.tls, ...http1 }, handler);
    }
    // Set as properties: HTTP/2's HTTP/1.1 fallback reads them only from there.
    Object.assign(this.server as unknown as HttpLimitProperties, {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often expired headers/request timers are looked for (Node's default: 30 s).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    } satisfies HttpLimitProperties);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Serves new connections with `pair` (established ones keep theirs). */
  setCertificate(pair: CertificatePair): void {
    if (!this.secure) throw new Error('a plain HTTP server has no certificate');
    (this.server as Http2SecureServer).setSecureContext({ ...TLS_SERVER_OPTIONS, ...pair });
  }

  /** Listens on `address` (no host: every interface); resolves with the URL it is reachable at. */
  async listen(address: { host?: string; port: number }, what: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      const failed = (err: Error) =>
        reject(
          new Error(`${what}: cannot listen on ${address.host ?? ''}:${address.port}: ${err.message}`, { cause: err }),
        );
      this.server.once('error', failed);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', failed);
        resolve();
      });
    });
    const host = !address.host || address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
    return `${this.secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  get port(): number {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('the server is not listening');
    return address.port;
  }

  /**
   * Stops accepting connections and closes idle ones; requests in flight get `graceMs` to finish,
   * then every remaining connection is closed.
   */
  async close(graceMs = 0): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    (this.server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    for (const session of this.sessions) session.close();
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
  }
}
