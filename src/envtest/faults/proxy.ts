/**
 * The fault proxy: a TLS server speaking HTTP/2 and HTTP/1.1 (ALPN) on loopback, in front of a
 * kube-apiserver, that forwards every request and does to it what the rules of its `Faults`
 * handle say. Clients get a RestConfig and kubeconfig pointing at it; the apiserver stays
 * reachable directly for the test's own setup and checks.
 */
import type { IncomingMessage } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { RestConfig } from '../../runtime/index.js';
import { createCertificateAuthority, issueCertificate, TLS_SERVER_OPTIONS } from '../../runtime/serving/index.js';
import { kubeconfigYaml } from '../kubeconfig.js';
import { FaultController } from './controller.js';
import { Network } from './network.js';
import { requestInfo } from './request-info.js';
import { errorEventLine, statusObject } from './status.js';
import type { FailOptions, Faults, SeenRequest } from './types.js';
import { responseHeaders, Upstream } from './upstream.js';
import { resetResponse, WatchRelay, type ProxyResponse } from './watch-relay.js';

export interface FaultProxyOptions {
  /** The apiserver to forward to, and the credentials the proxy uses there. */
  upstream: RestConfig;
  /**
   * The proxy's serving certificate (PEM) and the CA clients check it with. Default: a fresh CA and
   * a certificate for 127.0.0.1, ::1 and localhost.
   */
  serving?: { cert: string; key: string; caData: string };
  /** Seed of the PRNG behind `rate` rules. Default 1. */
  seed?: number;
}

export interface FaultProxy {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** The upstream RestConfig pointed at the proxy (its CA, the same credentials). */
  readonly restConfig: RestConfig;
  /** A kubeconfig YAML for `restConfig`. */
  readonly kubeconfig: string;
  readonly faults: Faults;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

type ProxyRequest = IncomingMessage | Http2ServerRequest;

async function servingCertificate(): Promise<{ cert: string; key: string; caData: string }> {
  const ca = await createCertificateAuthority('kubeforge-fault-proxy-ca');
  const leaf = await issueCertificate(ca, {
    commonName: 'kubeforge-fault-proxy',
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
  });
  return { ...leaf, caData: ca.cert };
}

function answerFailure(request: SeenRequest, response: ProxyResponse, failure: FailOptions): void {
  const status = statusObject(failure.status, request, failure);
  request.status = failure.status;
  // The apiserver answers a watch from a compacted resourceVersion with 200 and an ERROR event.
  if (request.watch && failure.status === 410) {
    request.status = 200;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(errorEventLine(status));
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
  response.writeHead(failure.status, headers);
  response.end(JSON.stringify(status));
}

function forward(
  upstream: Upstream,
  controller: FaultController,
  request: ProxyRequest,
  seen: SeenRequest,
  response: ProxyResponse,
): void {
  const outgoing = upstream.request(seen.method, request.url ?? seen.path, request.headers);
  let answered = false;
  response.on('close', () => {
    if (!answered) outgoing.destroy();
  });
  outgoing.on('error', () => {
    // The apiserver is unreachable: the client sees its connection fail, as it would without the proxy.
    resetResponse(response);
  });
  outgoing.on('response', (answer) => {
    answered = true;
    seen.status = answer.statusCode ?? 502;
    response.writeHead(seen.status, responseHeaders(answer));
    if (seen.watch && seen.status === 200) {
      if (!('stream' in response)) response.flushHeaders();
      controller.watchOpened(
        new WatchRelay(seen, outgoing, answer, response, (relay) => controller.watchClosed(relay)),
      );
      return;
    }
    answer.pipe(response);
  });
  request.pipe(outgoing);
}

/** Starts a fault proxy in front of `options.upstream`; see docs/envtest.md, "Faults on demand". */
/** Does to one request what the rules say: record, delay, answer with a failure, or forward. */
async function handle(
  upstream: Upstream,
  controller: FaultController,
  request: ProxyRequest,
  response: ProxyResponse,
): Promise<void> {
  const protocol = request.httpVersionMajor === 2 ? 'h2' : 'http/1.1';
  const seen = controller.arrived(requestInfo(request.method ?? 'GET', request.url ?? '/', protocol));
  const delayMs = controller.delayFor(seen);
  if (delayMs > 0) {
    let gone = false;
    response.once('close', () => (gone = true));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (gone) return;
  }
  const failure = controller.failureFor(seen);
  if (failure) {
    request.resume();
    answerFailure(seen, response, failure);
    return;
  }
  forward(upstream, controller, request, seen, response);
}

/** Starts a fault proxy in front of `options.upstream`; see docs/envtest.md, "Faults on demand". */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const serving = options.serving ?? (await servingCertificate());
  const upstream = new Upstream(options.upstream);
  const server: Http2SecureServer = createSecureServer({
    ...TLS_SERVER_OPTIONS,
    cert: serving.cert,
    key: serving.key,
    allowHTTP1: true,
  });
  server.on('sessionError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const network = await Network.listen((server.address() as AddressInfo).port);
  const controller = new FaultController(options.seed ?? 1, network);
  server.on('request', (request: ProxyRequest, response: ProxyResponse) => {
    void handle(upstream, controller, request, response);
  });

  const url = `https://127.0.0.1:${network.port}`;
  const { tlsServerName: _name, proxyUrl: _proxy, ...credentials } = options.upstream;
  const restConfig: RestConfig = { ...credentials, server: url, caData: serving.caData };
  let closed = false;
  return {
    url,
    restConfig,
    kubeconfig: kubeconfigYaml(restConfig),
    faults: controller,
    async close() {
      if (closed) return;
      closed = true;
      controller.reset();
      await network.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      upstream.close();
    },
  };
}
