/**
 * Which proxy a request goes through and the CONNECT tunnel through it. The choice follows Go's
 * `http.ProxyFromEnvironment`, which client-go uses: a kubeconfig `proxy-url` wins; otherwise
 * HTTPS_PROXY (https servers) or HTTP_PROXY (http servers), upper or lower case, unless NO_PROXY
 * matches the server; localhost and loopback addresses are never proxied.
 */
import net from 'node:net';
import tls from 'node:tls';

/** The proxy for `server`, or undefined to connect directly. */
export function proxyFor(
  server: URL,
  proxyUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): URL | undefined {
  if (proxyUrl) return parseProxy(proxyUrl, 'proxy-url');
  const host = server.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || isLoopback(host)) return undefined;
  const https = server.protocol === 'https:';
  const name = https ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const value = env[name] || env[name.toLowerCase()];
  if (!value) return undefined;
  const port = server.port || (https ? '443' : '80');
  if (noProxyMatches(env.NO_PROXY ?? env.no_proxy ?? '', host, port)) return undefined;
  return parseProxy(value, name);
}

function parseProxy(value: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z0-9+.-]+:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new Error(`${source}: "${value}" is not a proxy URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${source}: "${value}": only http:// and https:// proxies are supported (socks5 is not)`);
  return url;
}

function isLoopback(host: string): boolean {
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

/** NO_PROXY as Go reads it: `*`, IPs, CIDRs, domains (with subdomains), `.domain` (subdomains only), optional :port. */
export function noProxyMatches(noProxy: string, host: string, port: string): boolean {
  for (let entry of noProxy.split(',').map((item) => item.trim().toLowerCase())) {
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (net.isIP(host) && cidrContains(entry, host)) return true;
      continue;
    }
    const withPort = entry.match(/^(.*):(\d+)$/);
    if (withPort && !net.isIPv6(entry)) {
      if (withPort[2] !== port) continue;
      entry = withPort[1];
    }
    entry = entry.replace(/^\[(.*)\]$/, '$1');
    if (net.isIP(entry)) {
      if (entry === host) return true;
      continue;
    }
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.')) {
      if (host.endsWith(entry)) return true;
    } else if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split('/');
  const family = net.isIPv4(base) ? 'ipv4' : net.isIPv6(base) ? 'ipv6' : undefined;
  if (!family || net.isIP(ip) !== (family === 'ipv4' ? 4 : 6)) return false;
  const list = new net.BlockList();
  list.addSubnet(base, Number(bits), family);
  return list.check(ip, family);
}

/** A socket to `host:port` through `proxy` (HTTP CONNECT; TLS to the proxy for https:// proxies). */
export async function connectThroughProxy(
  proxy: URL,
  host: string,
  port: number,
  tlsOptions: tls.ConnectionOptions = {},
): Promise<net.Socket> {
  const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
  const socket: net.Socket =
    proxy.protocol === 'https:'
      ? tls.connect({
          ...tlsOptions,
          host: proxy.hostname,
          port: proxyPort,
          servername: proxy.hostname,
          ALPNProtocols: [],
        })
      : net.connect(proxyPort, proxy.hostname.replace(/^\[(.*)\]$/, '$1'));
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const auth = proxy.username
    ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
    : '';
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(new Error(`proxy ${proxy.host}: CONNECT ${target}: ${error.message}`, { cause: error }));
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('close', onClose);
      const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (!/^HTTP\/1\.[01] 200\b/.test(status)) return fail(new Error(`proxy answered "${status}"`));
      socket.pause();
      if (end + 4 < head.length) socket.unshift(head.subarray(end + 4));
      resolve(socket);
    };
    const onClose = () => fail(new Error('proxy closed the connection'));
    socket.on('data', onData);
    socket.on('error', fail);
    socket.on('close', onClose);
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
  });
}
