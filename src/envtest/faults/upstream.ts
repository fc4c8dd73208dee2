/**
 * The proxy's side towards the apiserver: one keep-alive HTTPS agent with the upstream
 * RestConfig's credentials, and requests forwarded with the client's method, path, headers and
 * body. The proxy asks for uncompressed answers so that it can see watch events one by one.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Agent, request, type RequestOptions } from 'node:https';
import type { ClientRequest } from 'node:http';
import type { RestConfig } from '../../runtime/index.js';

/** Headers of one hop only (RFC 9110 §7.6.1, RFC 9113 §8.2.2), never forwarded either way. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'te',
  'host',
]);

/** Headers the proxy replaces: it authenticates as the upstream user and wants plain bytes. */
const REPLACED_ON_REQUEST = new Set(['authorization', 'accept-encoding']);

function copyHeaders(headers: IncomingHttpHeaders, drop: Set<string>): OutgoingHttpHeaders {
  const copied: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || HOP_BY_HOP.has(name) || drop.has(name) || value === undefined) continue;
    copied[name] = value;
  }
  return copied;
}

/** The response headers to pass back to the client. */
export function responseHeaders(upstream: IncomingMessage): OutgoingHttpHeaders {
  return copyHeaders(upstream.headers, new Set());
}

export class Upstream {
  private readonly agent: Agent;
  private readonly url: URL;
  private readonly token?: string;

  constructor(readonly config: RestConfig) {
    this.url = new URL(config.server);
    this.agent = new Agent({
      keepAlive: true,
      ca: config.caData,
      cert: config.certData ?? (config.certFile ? readFileSync(config.certFile, 'utf8') : undefined),
      key: config.keyData ?? (config.keyFile ? readFileSync(config.keyFile, 'utf8') : undefined),
      servername: config.tlsServerName,
      rejectUnauthorized: config.insecureSkipTlsVerify !== true,
    });
    this.token = config.token ?? (config.tokenFile ? readFileSync(config.tokenFile, 'utf8').trim() : undefined);
  }

  /** Starts the request `path` (with its query) carries to the apiserver; the caller writes the body. */
  request(method: string, path: string, headers: IncomingHttpHeaders): ClientRequest {
    const prefix = this.url.pathname.replace(/\/$/, '');
    const options: RequestOptions = {
      protocol: 'https:',
      hostname: this.url.hostname,
      port: this.url.port || 443,
      path: prefix + path,
      method,
      agent: this.agent,
      headers: {
        ...copyHeaders(headers, REPLACED_ON_REQUEST),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
    };
    return request(options);
  }

  close(): void {
    this.agent.destroy();
  }
}
