/**
 * Which proxy a request goes through and the tunnel through it: HTTP CONNECT for http(s)://
 * proxies, SOCKS5 (no auth or username/password; the proxy resolves the name) for socks5://
 * ones, as client-go supports. The choice follows Go's
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
  if (!PROXY_SCHEMES.includes(url.protocol))
    throw new Error(`${source}: "${value}": the proxy scheme must be http, https, socks5 or socks5h`);
  return url;
}

const PROXY_SCHEMES = ['http:', 'https:', 'socks5:', 'socks5h:'];

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

/** A socket to `host:port` through `proxy` (HTTP CONNECT, TLS to https:// proxies; or SOCKS5). */
export async function connectThroughProxy(
  proxy: URL,
  host: string,
  port: number,
  tlsOptions: tls.ConnectionOptions = {},
): Promise<net.Socket> {
  if (proxy.protocol.startsWith('socks5')) return connectSocks5(proxy, host, port);
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

/** RFC 1928 CONNECT through a SOCKS5 proxy, with RFC 1929 username/password when the URL has them. */
async function connectSocks5(proxy: URL, host: string, port: number): Promise<net.Socket> {
  const socket = net.connect(Number(proxy.port) || 1080, proxy.hostname.replace(/^\[(.*)\]$/, '$1'));
  const reader = new SocketReader(socket);
  const where = `socks5 proxy ${proxy.host}: CONNECT ${host}:${port}`;
  try {
    const user = decodeURIComponent(proxy.username);
    const password = decodeURIComponent(proxy.password);
    socket.write(Buffer.from(user ? [5, 2, 0, 2] : [5, 1, 0]));
    const [version, method] = await reader.read(2);
    if (version !== 5 || (method !== 0 && method !== 2)) throw new Error('no acceptable authentication method');
    if (method === 2) {
      const u = Buffer.from(user);
      const p = Buffer.from(password);
      socket.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([p.length]), p]));
      if ((await reader.read(2))[1] !== 0) throw new Error('username/password refused');
    }
    const family = net.isIP(host);
    const address =
      family === 4
        ? Buffer.from([1, ...host.split('.').map(Number)])
        : family === 6
          ? Buffer.concat([Buffer.from([4]), ipv6Bytes(host)])
          : Buffer.concat([Buffer.from([3, Buffer.byteLength(host)]), Buffer.from(host)]);
    socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address, Buffer.from([port >> 8, port & 0xff])]));
    const [, reply, , type] = await reader.read(4);
    if (reply !== 0) throw new Error(`the proxy answered ${SOCKS_REPLIES[reply] ?? `code ${reply}`}`);
    const length = type === 1 ? 4 : type === 4 ? 16 : (await reader.read(1))[0];
    await reader.read(length + 2);
    reader.release();
    return socket;
  } catch (e) {
    socket.destroy();
    throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
  }
}

const SOCKS_REPLIES: Record<number, string> = {
  1: 'general failure',
  2: 'connection not allowed',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

function ipv6Bytes(ip: string): Buffer {
  const [head, tail = ''] = ip.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array(ip.includes('::') ? missing : 0).fill('0'), ...groups(tail)];
  return Buffer.from(all.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]));
}

/** Reads exact byte counts from a socket during a handshake, then hands it back untouched. */
class SocketReader {
  private buffered = Buffer.alloc(0);
  private wake?: () => void;
  private failure?: Error;
  private readonly onData = (chunk: Buffer) => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.wake?.();
  };
  private readonly onEnd = (error?: Error) => {
    this.failure = error instanceof Error ? error : new Error('the proxy closed the connection');
    this.wake?.();
  };

  constructor(private readonly socket: net.Socket) {
    socket.on('data', this.onData);
    socket.on('error', this.onEnd);
    socket.on('close', this.onEnd);
  }

  async read(count: number): Promise<Buffer> {
    while (this.buffered.length < count) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const bytes = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    return bytes;
  }

  release(): void {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.pause();
    if (this.buffered.length > 0) this.socket.unshift(this.buffered);
  }
}
