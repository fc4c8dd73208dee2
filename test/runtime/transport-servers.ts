/**
 * Local stand-ins for the transport tests: an apiserver over TLS (HTTP/2 + HTTP/1.1 by ALPN, or
 * HTTP/1.1 only) with its own CA, optionally asking for client certificates, and an HTTP CONNECT
 * proxy that records what it was asked to reach and sends every tunnel to 127.0.0.1.
 */
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createCertificateAuthority, issueCertificate, type CertifiedKey } from '../../src/runtime/serving/index.js';

export type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: ServerResponse) => void;
type ServerResponse = http.ServerResponse | http2.Http2ServerResponse;

export interface TestCertificates {
  ca: CertifiedKey;
  serving: CertifiedKey;
  client(commonName: string): Promise<CertifiedKey>;
}

/** A CA, a serving certificate for `dnsNames` (default: 127.0.0.1 and localhost) and client certificates on demand. */
export async function testCertificates(
  dnsNames = ['localhost'],
  ipAddresses = ['127.0.0.1'],
): Promise<TestCertificates> {
  const ca = await createCertificateAuthority('transport-test-ca');
  const serving = await issueCertificate(ca, { commonName: 'apiserver', usage: 'server', dnsNames, ipAddresses });
  return { ca, serving, client: (commonName) => issueCertificate(ca, { commonName, usage: 'client' }) };
}

export interface TestApiserver {
  /** https://127.0.0.1:<port> */
  url: string;
  port: number;
  /** TLS connections accepted so far, with the protocol ALPN chose for each. */
  connections: string[];
  /** Client certificate common names seen, per request. */
  clientNames: string[];
  close(): Promise<void>;
}

export async function startApiserver(
  certificates: TestCertificates,
  handler: Handler,
  options: { http2?: boolean; requestCert?: boolean; host?: string } = {},
): Promise<TestApiserver> {
  const tlsOptions = {
    cert: certificates.serving.cert,
    key: certificates.serving.key,
    ca: options.requestCert ? certificates.ca.cert : undefined,
    requestCert: options.requestCert ?? false,
    rejectUnauthorized: false,
  };
  const clientNames: string[] = [];
  const wrapped: Handler = (req, res) => {
    const socket = (req.socket ?? (req as http2.Http2ServerRequest).stream?.session?.socket) as TLSSocket;
    if (options.requestCert) clientNames.push(String(socket.getPeerCertificate()?.subject?.CN ?? ''));
    handler(req, res);
  };
  const server =
    options.http2 === false
      ? https.createServer(tlsOptions, wrapped)
      : http2.createSecureServer({ ...tlsOptions, allowHTTP1: true }, wrapped);
  const connections: string[] = [];
  const sockets = new Set<net.Socket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    connections.push(String(socket.alpnProtocol || 'none'));
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    connections,
    clientNames,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface TestProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The CONNECT targets asked for, in order. */
  targets: string[];
  close(): Promise<void>;
}

/** An HTTP CONNECT proxy: every tunnel goes to 127.0.0.1 on the target's port, whatever its host. */
export async function startConnectProxy(): Promise<TestProxy> {
  const targets: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    targets.push(req.url ?? '');
    const port = Number((req.url ?? '').split(':').at(-1));
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    targets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Answers with JSON. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  (res as http.ServerResponse).writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A SOCKS5 proxy (RFC 1928, username/password when given): every tunnel goes to 127.0.0.1 on the asked port. */
export async function startSocks5Proxy(credentials?: { user: string; password: string }): Promise<TestProxy> {
  const targets: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buffered = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' = 'greeting';
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (stage === 'greeting' && buffered.length >= 2 + buffered[1]) {
        buffered = buffered.subarray(2 + buffered[1]);
        stage = credentials ? 'auth' : 'request';
        client.write(Buffer.from([5, credentials ? 2 : 0]));
      }
      if (stage === 'auth' && buffered.length >= 2 && buffered.length >= 3 + buffered[1] + buffered[2 + buffered[1]]) {
        const user = buffered.subarray(2, 2 + buffered[1]).toString();
        const password = buffered.subarray(3 + buffered[1], 3 + buffered[1] + buffered[2 + buffered[1]]).toString();
        buffered = buffered.subarray(3 + buffered[1] + buffered[2 + buffered[1]]);
        const ok = user === credentials!.user && password === credentials!.password;
        client.write(Buffer.from([1, ok ? 0 : 1]));
        if (!ok) return void client.end();
        stage = 'request';
      }
      if (stage === 'request' && buffered.length >= 5) {
        const type = buffered[3];
        const length = type === 1 ? 4 : type === 4 ? 16 : 1 + buffered[4];
        if (buffered.length < 4 + length + 2) return;
        const address =
          type === 3
            ? buffered.subarray(5, 5 + buffered[4]).toString()
            : [...buffered.subarray(4, 4 + length)].join('.');
        const port = buffered.readUInt16BE(4 + length);
        targets.push(`${address}:${port}`);
        client.off('data', onData);
        const upstream = net.connect(port, '127.0.0.1', () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, port >> 8, port & 0xff]));
          client.pipe(upstream).pipe(client);
        });
        sockets.add(upstream);
        upstream.on('error', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: credentials
      ? `socks5://${credentials.user}:${credentials.password}@127.0.0.1:${port}`
      : `socks5://127.0.0.1:${port}`,
    targets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
