/**
 * One HTTP/2 session to the apiserver, multiplexing every request and watch as client-go's
 * transport does, with its health check: when nothing arrives for `pingIntervalMs` (client-go's
 * ReadIdleTimeout, 30 s) a PING is sent, and when its answer takes longer than `pingTimeoutMs`
 * (15 s) the connection is declared dead and destroyed, failing its streams so watches restart
 * on a new connection within a minute instead of after the kernel's TCP timeout. The session
 * keeps the process alive only while it has open streams.
 */
import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';

/** The error a session's streams fail with when the server stopped answering PINGs. */
export class Http2PingTimeoutError extends Error {
  override readonly name = 'Http2PingTimeoutError';
}

const STREAM_WINDOW = 4 << 20;
const CONNECTION_WINDOW = 1 << 30;

export interface SessionHealth {
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Told when the session dies (PING unanswered, GOAWAY, error, close). */
  onClose: (session: Http2Session, error?: Error) => void;
}

export class Http2Session {
  readonly session: http2.ClientHttp2Session;
  private openStreams = 0;
  private pinging = false;
  private closed = false;

  constructor(
    origin: string,
    socket: TLSSocket,
    private readonly health: SessionHealth,
  ) {
    // Go's HTTP/2 transport windows (4 MiB per stream, 1 GiB per connection): large lists and busy
    // watches stream without waiting for a WINDOW_UPDATE every 64 KiB.
    this.session = http2.connect(origin, {
      createConnection: () => socket,
      settings: { initialWindowSize: STREAM_WINDOW },
      maxSessionMemory: 64,
    });
    this.session.once('connect', () => this.session.setLocalWindowSize(CONNECTION_WINDOW));
    this.session.unref();
    this.session.on('error', (error: Error) => this.markClosed(error));
    this.session.on('close', () => this.markClosed());
    this.session.on('goaway', () => this.markClosed());
    if (health.pingIntervalMs > 0) this.session.setTimeout(health.pingIntervalMs, () => this.check());
  }

  /** True while new streams may be opened on it. */
  get usable(): boolean {
    return !this.closed && !this.session.closed && !this.session.destroyed;
  }

  /** Opens a stream; the session is ref'd until the stream closes. */
  request(headers: http2.OutgoingHttpHeaders, options: http2.ClientSessionRequestOptions): http2.ClientHttp2Stream {
    const stream = this.session.request(headers, options);
    if (this.openStreams++ === 0) this.session.ref();
    stream.once('close', () => {
      if (--this.openStreams === 0 && !this.session.destroyed) this.session.unref();
    });
    return stream;
  }

  /** Sends a PING; destroys the session when no answer comes within the PING timeout. */
  check(): void {
    if (this.pinging || !this.usable) return;
    this.pinging = true;
    const timeoutMs = this.health.pingTimeoutMs;
    const timer = setTimeout(() => {
      const origin = this.session.originSet?.[0] ?? 'the apiserver';
      this.fail(
        new Http2PingTimeoutError(`HTTP/2 PING to ${origin} not answered within ${timeoutMs} ms: connection is dead`),
      );
    }, timeoutMs);
    timer.unref();
    const sent = this.session.ping((error) => {
      clearTimeout(timer);
      this.pinging = false;
      if (error && this.usable) this.fail(error);
    });
    if (!sent) {
      clearTimeout(timer);
      this.pinging = false;
    }
  }

  /** Reports the session dead at once (before its streams fail), then destroys it. */
  private fail(error: Error): void {
    this.markClosed(error);
    this.session.destroy(error);
  }

  private markClosed(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.health.onClose(this, error);
  }

  /** Stops new streams; with `destroy`, fails the open ones too. */
  close(destroy = false): void {
    this.closed = true;
    if (destroy) this.session.destroy();
    else this.session.close();
  }
}
