/**
 * Clients that probe how a server treats them, for the tests of the runtime's servers (webhook,
 * metrics, health probes): a TLS handshake with chosen versions, ciphers and ALPN; an HTTP/2
 * connection attempt; a request head over the size limit; a client that sends its headers one byte
 * at a time and never finishes. Each reports what the server did, not how long it took.
 */
import { connect as http2Connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/** A client OpenSSL lets offer TLS 1.0 and 1.1 (legacy versions need security level 0), and nothing newer. */
export const LEGACY_CLIENT: ConnectionOptions = {
  minVersion: 'TLSv1',
  maxVersion: 'TLSv1.1',
  ciphers: 'DEFAULT:@SECLEVEL=0',
};

/** A TLS 1.2 client offering only a CBC suite without forward secrecy's AEAD (what the runtime refuses). */
export const WEAK_CIPHER_CLIENT: ConnectionOptions = { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' };

export interface Handshake {
  protocol: string;
  cipher: string;
  /** The ALPN protocol agreed on, or false. */
  alpn: string | false;
  fingerprint: string;
}

/** Handshakes with 127.0.0.1:`port` (trusting `ca`, or anything without one). */
export function handshake(port: number, options: ConnectionOptions = {}, ca?: string): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: '127.0.0.1', port, ...(ca ? { ca } : { rejectUnauthorized: false }), ...options },
      () => {
        resolve({
          protocol: socket.getProtocol() ?? '',
          cipher: socket.getCipher().name,
          alpn: socket.alpnProtocol ?? false,
          fingerprint: socket.getPeerX509Certificate()?.fingerprint256 ?? '',
        });
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}

/**
 * GETs `url` over https with the bearer `token` if given, trusting `caPem` when given (else any
 * certificate is accepted).
 */
export function scrape(
  url: string,
  token?: string,
  caPem?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const trust = caPem === undefined ? { rejectUnauthorized: false } : { ca: caPem };
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...trust, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens an HTTP/2 session to `url` offering only h2; resolves with the protocol agreed on, rejects when refused. */
export function http2Session(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(url, { rejectUnauthorized: false });
    session.on('error', reject);
    session.on('connect', () => {
      resolve(session.alpnProtocol ?? '');
      session.close();
    });
  });
}

function open(port: number, secure: boolean, onOpen: (socket: Socket | TLSSocket) => void): Socket | TLSSocket {
  const options = { host: '127.0.0.1', port };
  if (!secure) {
    const socket = netConnect(options, () => onOpen(socket));
    return socket;
  }
  const socket = tlsConnect({ ...options, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () =>
    onOpen(socket),
  );
  return socket;
}

/** Sends a GET whose headers total `headerBytes`; resolves with the status line the server answers. */
export function requestWithHeaders(port: number, secure: boolean, headerBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = open(port, secure, (connected) => {
      connected.write(
        `GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Padding: ${'a'.repeat(headerBytes)}\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer.split('\r\n')[0]));
    socket.on('error', (error) => (answer ? undefined : reject(error)));
  });
}

export interface SlowClient {
  /** Settles once the server has closed the connection: with what it answered first ('' for nothing). */
  closedByServer: Promise<string>;
  /** Whether the server has closed it yet. */
  closed(): boolean;
  /** Ends the client (the server never closed it, or the test is over). */
  stop(): void;
}

/** A client that sends a request's headers one byte every `intervalMs` and never completes them. */
export function slowClient(port: number, secure: boolean, intervalMs = 100): SlowClient {
  let answer = '';
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const head = 'GET /metrics HTTP/1.1\r\nHost: localhost\r\nX-Slow: ';
  let sent = 0;
  const socket = open(port, secure, (connected) => {
    timer = setInterval(() => {
      if (connected.writable) connected.write(sent < head.length ? head[sent++] : 'z');
    }, intervalMs);
  });
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closedByServer = new Promise<string>((resolve) =>
    socket.on('close', () => {
      closed = true;
      clearInterval(timer);
      resolve(answer.split('\r\n')[0]);
    }),
  );
  return {
    closedByServer,
    closed: () => closed,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}
