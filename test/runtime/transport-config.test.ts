/**
 * What the kubeconfig asks of the transport, against local TLS servers and a CONNECT proxy (and
 * the envtest apiserver for impersonation): path-prefixed servers, impersonation headers,
 * tls-server-name, proxy-url, HTTPS_PROXY with NO_PROXY, and client certificate files rotated on
 * disk (also while a connection is being dialled).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isForbidden } from '../../src/runtime/client/index.js';
import { Transport } from '../../src/runtime/client/transport.js';
import { ConfigMap, loadRestConfig, newClient } from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { json, startApiserver, startConnectProxy, startSocks5Proxy, testCertificates } from './transport-servers.js';

const cleanup: (() => unknown)[] = [];
const savedEnv = { ...process.env };
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

/** A server answering every request with what it saw. */
async function echoServer(dnsNames?: string[], ipAddresses?: string[], host?: string) {
  const certificates = await testCertificates(dnsNames, ipAddresses);
  const server = await startApiserver(
    certificates,
    (req, res) => json(res, 200, { url: req.url, headers: req.headers }),
    { host },
  );
  cleanup.push(() => server.close());
  return { server, ca: certificates.ca.cert };
}

type Echo = { url: string; headers: Record<string, string> };

function kubeconfig(cluster: string, user = 'token: t'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kubeforge-transport-')), 'config');
  writeFileSync(
    file,
    `clusters: [{name: c, cluster: {${cluster}}}]\nusers: [{name: u, user: {${user}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  return file;
}
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('kubeconfig features on the wire', () => {
  it('keeps the path prefix of the server URL (Rancher-style proxied clusters)', async () => {
    const { server, ca } = await echoServer();
    const config = loadRestConfig({
      kubeconfig: kubeconfig(`server: "${server.url}/k8s/clusters/c-xyz/", certificate-authority-data: ${base64(ca)}`),
    });
    const transport = new Transport(config);
    cleanup.push(() => transport.close());
    const echo = await transport.request<Echo>({
      method: 'GET',
      path: '/api/v1/namespaces/a b/configmaps/é😀',
      query: { labelSelector: 'x=y' },
    });
    expect(echo.url).toBe(
      '/k8s/clusters/c-xyz/api/v1/namespaces/a%20b/configmaps/%C3%A9%F0%9F%98%80?labelSelector=x%3Dy',
    );
  });

  it('sends the impersonation headers of as, as-uid, as-groups and as-user-extra', async () => {
    const { server, ca } = await echoServer();
    const config = loadRestConfig({
      kubeconfig: kubeconfig(
        `server: "${server.url}", certificate-authority-data: ${base64(ca)}`,
        'token: t, as: alice, as-uid: "42", as-groups: [devs, ops], as-user-extra: {"scopes.example/x": [view, edit]}',
      ),
    });
    const transport = new Transport(config);
    cleanup.push(() => transport.close());
    const { headers } = await transport.request<Echo>({ method: 'GET', path: '/api' });
    expect(headers).toMatchObject({
      authorization: 'Bearer t',
      'impersonate-user': 'alice',
      'impersonate-uid': '42',
      'impersonate-group': 'devs, ops',
      'impersonate-extra-scopes.example%2fx': 'view, edit',
    });
  });

  it('acts as the impersonated user on the envtest apiserver', async () => {
    const namespace = await createTestNamespace('impersonate');
    const client = newClient({ ...testRestConfig(), impersonate: { userName: 'alice', groups: ['team-a'] } });
    cleanup.push(() => client.close());
    const error = await client.get(ConfigMap, { namespace, name: 'any' }).catch((e: unknown) => e);
    expect(isForbidden(error)).toBe(true);
    expect((error as Error).message).toContain('User "alice" cannot get resource "configmaps"');
  });

  it('checks the server certificate against tls-server-name', async () => {
    const { server, ca } = await echoServer(['apiserver.internal'], []);
    const cluster = `server: "${server.url}", certificate-authority-data: ${base64(ca)}`;
    const without = new Transport(loadRestConfig({ kubeconfig: kubeconfig(cluster) }));
    cleanup.push(() => without.close());
    await expect(without.request({ method: 'GET', path: '/api' })).rejects.toThrow(
      /IP: 127.0.0.1 is not in the cert's list/,
    );
    const named = new Transport(
      loadRestConfig({ kubeconfig: kubeconfig(`${cluster}, tls-server-name: apiserver.internal`) }),
    );
    cleanup.push(() => named.close());
    expect(await named.request<Echo>({ method: 'GET', path: '/api' })).toMatchObject({ url: '/api' });
  });

  it('tunnels through proxy-url with CONNECT', async () => {
    const { server, ca } = await echoServer(['apiserver.example']);
    const proxy = await startConnectProxy();
    cleanup.push(() => proxy.close());
    const config = loadRestConfig({
      kubeconfig: kubeconfig(
        `server: "https://apiserver.example:${server.port}", certificate-authority-data: ${base64(ca)}, proxy-url: "${proxy.url}"`,
      ),
    });
    for (const http2 of [true, false]) {
      const transport = new Transport(config, { http2 });
      cleanup.push(() => transport.close());
      expect(await transport.request<Echo>({ method: 'GET', path: '/api' })).toMatchObject({ url: '/api' });
    }
    expect(proxy.targets).toEqual([`apiserver.example:${server.port}`, `apiserver.example:${server.port}`]);
  });

  it('tunnels through a socks5 proxy-url, with and without a username and password', async () => {
    const { server, ca } = await echoServer(['apiserver.example']);
    for (const credentials of [undefined, { user: 'kube', password: 's3cret' }]) {
      const proxy = await startSocks5Proxy(credentials);
      cleanup.push(() => proxy.close());
      const config = loadRestConfig({
        kubeconfig: kubeconfig(
          `server: "https://apiserver.example:${server.port}", certificate-authority-data: ${base64(ca)}, proxy-url: "${proxy.url}"`,
        ),
      });
      const transport = new Transport(config);
      cleanup.push(() => transport.close());
      expect(await transport.request<Echo>({ method: 'GET', path: '/api' })).toMatchObject({ url: '/api' });
      expect(proxy.targets).toEqual([`apiserver.example:${server.port}`]);
    }
  });

  it('uses HTTPS_PROXY unless NO_PROXY matches the server', async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((candidate) => candidate?.family === 'IPv4' && !candidate.internal)?.address;
    if (!address) throw new Error('this test needs a non-loopback IPv4 address (loopback is never proxied)');
    const { server, ca } = await echoServer([], [address], '0.0.0.0');
    const proxy = await startConnectProxy();
    cleanup.push(() => proxy.close());
    const config = { server: `https://${address}:${server.port}`, caData: ca };
    process.env.HTTPS_PROXY = proxy.url;
    const proxied = new Transport(config);
    cleanup.push(() => proxied.close());
    await proxied.request({ method: 'GET', path: '/api' });
    expect(proxy.targets).toEqual([`${address}:${server.port}`]);

    process.env.NO_PROXY = `example.com,${address.split('.').slice(0, 3).join('.')}.0/24`;
    const direct = new Transport({ ...config, server: server.url.replace('127.0.0.1', address) });
    cleanup.push(() => direct.close());
    await direct.request({ method: 'GET', path: '/api' });
    expect(proxy.targets).toHaveLength(1);
  });

  it('re-reads client certificate files when they change and reconnects with the new certificate', async () => {
    const { server, write, files } = await clientCertificateServer('first');
    const transport = new Transport({ server: server.url, ...files }, { certReloadIntervalMs: 0 });
    cleanup.push(() => transport.close());
    await transport.request({ method: 'GET', path: '/api' });
    await transport.request({ method: 'GET', path: '/api' });
    await write('second');
    await transport.request({ method: 'GET', path: '/api' });
    expect(server.clientNames).toEqual(['first', 'first', 'second']);
    expect(server.connections).toHaveLength(2);
  });

  it('does not make an HTTP/2 session of a connection dialled with the old certificate during a rotation', async () => {
    const { server, write, files } = await clientCertificateServer('first');
    const gate = await heldFirstConnection(server.port);
    cleanup.push(() => gate.close());
    const transport = new Transport({ server: gate.url, ...files }, { certReloadIntervalMs: 0, http2: true });
    cleanup.push(() => transport.close());
    const before = transport.request({ method: 'GET', path: '/api' });
    await gate.held;
    await write('second');
    const after = transport.request({ method: 'GET', path: '/api' });
    gate.release();
    await Promise.all([before, after]);
    await transport.request({ method: 'GET', path: '/api' });
    expect(server.clientNames).toEqual(['second', 'second', 'second']);
  });
});

/**
 * A server asking for client certificates, and certificate files for it (first issued to
 * `commonName`); `write(name)` replaces them with a certificate issued to `name`.
 */
async function clientCertificateServer(commonName: string) {
  const certificates = await testCertificates();
  const server = await startApiserver(certificates, (_req, res) => json(res, 200, {}), { requestCert: true });
  cleanup.push(() => server.close());
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-client-cert-'));
  const files = { caData: certificates.ca.cert, certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
  const write = async (name: string) => {
    const pair = await certificates.client(name);
    writeFileSync(files.certFile, pair.cert);
    writeFileSync(files.keyFile, pair.key);
  };
  await write(commonName);
  return { server, write, files };
}

/** A TCP forwarder to `port` that holds its first connection (the TLS handshake waits) until `release()`. */
async function heldFirstConnection(port: number) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let onHeld!: () => void;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  const sockets = new Set<net.Socket>();
  let first = true;
  const server = net.createServer((client) => {
    const wait = first ? released : Promise.resolve();
    if (first) onHeld();
    first = false;
    client.pause();
    sockets.add(client);
    void wait.then(() => {
      const upstream = net.connect(port, '127.0.0.1');
      sockets.add(upstream);
      for (const socket of [client, upstream]) socket.on('error', () => socket.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    held,
    release,
    close: async () => {
      release();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
