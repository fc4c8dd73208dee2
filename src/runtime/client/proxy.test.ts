import { describe, expect, it } from 'vitest';
import { noProxyMatches, proxyFor } from './proxy.js';

describe('proxy choice (Go http.ProxyFromEnvironment)', () => {
  const server = new URL('https://api.example.com:6443');

  it('prefers proxy-url, then HTTPS_PROXY (either case) for https servers, HTTP_PROXY for http ones', () => {
    expect(proxyFor(server, 'http://kubeconfig:3128', { HTTPS_PROXY: 'http://env:1' })?.host).toBe('kubeconfig:3128');
    expect(proxyFor(server, undefined, { https_proxy: 'proxy:8080' })?.href).toBe('http://proxy:8080/');
    expect(proxyFor(server, undefined, { HTTP_PROXY: 'http://plain:1' })).toBeUndefined();
    expect(proxyFor(new URL('http://api:8080'), undefined, { HTTP_PROXY: 'http://plain:1' })?.host).toBe('plain:1');
  });

  it('never proxies localhost or loopback addresses', () => {
    const env = { HTTPS_PROXY: 'http://proxy:1' };
    for (const host of ['https://localhost:6443', 'https://127.0.0.1:6443', 'https://[::1]:6443'])
      expect(proxyFor(new URL(host), undefined, env)).toBeUndefined();
  });

  it('reads NO_PROXY entries as Go does', () => {
    expect(noProxyMatches('*', 'anything', '443')).toBe(true);
    expect(noProxyMatches('example.com', 'api.example.com', '443')).toBe(true);
    expect(noProxyMatches('example.com', 'example.com', '443')).toBe(true);
    expect(noProxyMatches('.example.com', 'example.com', '443')).toBe(false);
    expect(noProxyMatches('.example.com', 'api.example.com', '443')).toBe(true);
    expect(noProxyMatches('ample.com', 'api.example.com', '443')).toBe(false);
    expect(noProxyMatches('10.0.0.0/8', '10.1.2.3', '443')).toBe(true);
    expect(noProxyMatches('10.0.0.0/8', '11.1.2.3', '443')).toBe(false);
    expect(noProxyMatches('api.example.com:6443', 'api.example.com', '6443')).toBe(true);
    expect(noProxyMatches('api.example.com:6443', 'api.example.com', '443')).toBe(false);
    expect(noProxyMatches(' other.org , 10.1.2.3', '10.1.2.3', '443')).toBe(true);
  });

  it('takes socks5 proxies and refuses other schemes naming where they came from', () => {
    expect(proxyFor(server, undefined, { HTTPS_PROXY: 'socks5://proxy:1080' })?.protocol).toBe('socks5:');
    expect(() => proxyFor(server, undefined, { HTTPS_PROXY: 'ftp://proxy:21' })).toThrow(
      'HTTPS_PROXY: "ftp://proxy:21": the proxy scheme must be http, https, socks5 or socks5h',
    );
  });
});
