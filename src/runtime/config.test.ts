import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRestConfig, type PluginRestConfig } from './config.js';

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const saved = { ...process.env };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeforge-config-'));
  for (const name of [
    'KUBECONFIG',
    'KUBERNETES_SERVICE_HOST',
    'KUBERNETES_SERVICE_PORT',
    'KUBEFORGE_SERVICEACCOUNT_DIR',
  ]) {
    delete process.env[name];
  }
  process.env.HOME = dir;
});

afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

function kubeconfig(name: string, server: string, user: string, extraContexts = ''): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${server}
    certificate-authority-data: ${Buffer.from(CA_PEM).toString('base64')}
users:
- name: u
  user:
${user}
contexts:
- name: main
  context: {cluster: c, user: u}
${extraContexts}current-context: main
`,
  );
  return file;
}

describe('loadRestConfig', () => {
  it('reads server, CA (as PEM) and token from an explicit kubeconfig before KUBECONFIG', () => {
    process.env.KUBECONFIG = kubeconfig('env', 'https://10.0.0.2:6443', '    token: env-token');
    const explicit = kubeconfig('explicit', 'https://10.0.0.1:6443/', '    token: explicit-token');
    const config = loadRestConfig({ kubeconfig: explicit });
    expect(config).toMatchObject({ server: 'https://10.0.0.1:6443', token: 'explicit-token', caData: CA_PEM });
    expect(loadRestConfig().token).toBe('env-token');
  });

  it('selects a named context and names the known ones when it is missing', () => {
    const file = kubeconfig(
      'ctx',
      'https://10.0.0.1:6443',
      '    token: t',
      '- name: other\n  context: {cluster: c, user: u}\n',
    );
    expect(loadRestConfig({ kubeconfig: file, context: 'other' }).server).toBe('https://10.0.0.1:6443');
    expect(() => loadRestConfig({ kubeconfig: file, context: 'nope' })).toThrow(
      'context "nope" not found (contexts: main, other)',
    );
  });

  it('merges KUBECONFIG files as kubectl does: first definition and first current-context win', () => {
    const first = join(dir, 'first');
    writeFileSync(
      first,
      'clusters: [{name: shared, cluster: {server: "https://first:6443"}}]\nusers: [{name: u, user: {token: first}}]\n',
    );
    const second = kubeconfig('second', 'https://second:6443', '    token: second');
    writeFileSync(
      second,
      `${readFileSync(second, 'utf8')}\n`
        .replace('- name: c\n', '- name: shared\n')
        .replace('cluster: c,', 'cluster: shared,'),
    );
    process.env.KUBECONFIG = `${first}:${second}`;
    expect(loadRestConfig()).toMatchObject({ server: 'https://first:6443', token: 'first' });
  });

  it('reads client certificates from files relative to the kubeconfig', () => {
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'certs', 'client.crt'), 'CERT');
    writeFileSync(join(dir, 'certs', 'client.key'), 'KEY');
    const file = kubeconfig(
      'certs.yaml',
      'https://10.0.0.1:6443',
      '    client-certificate: certs/client.crt\n    client-key: certs/client.key',
    );
    // Paths, not contents: the transport re-reads them when they change on disk.
    expect(loadRestConfig({ kubeconfig: file })).toMatchObject({
      certFile: join(dir, 'certs', 'client.crt'),
      keyFile: join(dir, 'certs', 'client.key'),
    });
    const alone = kubeconfig('alone', 'https://10.0.0.1:6443', '    client-certificate: certs/client.crt');
    expect(() => loadRestConfig({ kubeconfig: alone })).toThrow(
      `user "u" in ${alone}: client-certificate and client-key (or their -data) must be given together`,
    );
    const mixed = kubeconfig(
      'mixed',
      'https://10.0.0.1:6443',
      `    client-certificate: certs/client.crt\n    client-key-data: ${Buffer.from('KEY').toString('base64')}`,
    );
    expect(loadRestConfig({ kubeconfig: mixed })).toMatchObject({
      certFile: join(dir, 'certs', 'client.crt'),
      keyData: 'KEY',
    });
    const missing = kubeconfig('missing-cert', 'https://10.0.0.1:6443', '    client-certificate: certs/nope.crt');
    expect(() => loadRestConfig({ kubeconfig: missing })).toThrow(
      `user "u" in ${missing}: client-certificate ${join(dir, 'certs', 'nope.crt')} does not exist`,
    );
  });

  it('names a context whose cluster is not defined', () => {
    const file = join(dir, 'broken');
    writeFileSync(file, 'contexts: [{name: x, context: {cluster: nowhere, user: u}}]\ncurrent-context: x\n');
    expect(() => loadRestConfig({ kubeconfig: file })).toThrow(
      'context "x" names cluster "nowhere", which is not defined',
    );
  });

  it('reads an exec plugin: relative commands against the kubeconfig, PATH names as they are', () => {
    const exec = (command: string, more = '') =>
      `    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: ${command}\n      args: [a]\n      env: [{name: X, value: y}]\n      installHint: brew install it${more}`;
    const relative: PluginRestConfig = loadRestConfig({
      kubeconfig: kubeconfig('rel', 'https://h', exec('./bin/plugin')),
    });
    expect(relative.exec).toMatchObject({
      command: join(dir, 'bin', 'plugin'),
      args: ['a'],
      env: [{ name: 'X', value: 'y' }],
      installHint: 'brew install it',
      interactiveMode: 'IfAvailable',
      provideClusterInfo: false,
    });
    const onPath: PluginRestConfig = loadRestConfig({ kubeconfig: kubeconfig('path', 'https://h', exec('kubelogin')) });
    expect(onPath.exec?.command).toBe('kubelogin');
    const bad = kubeconfig('bad', 'https://h', exec('x', '\n      interactiveMode: Sometimes'));
    expect(() => loadRestConfig({ kubeconfig: bad })).toThrow(
      `user "u" in ${bad}: exec.interactiveMode "Sometimes" must be one of Never, IfAvailable, Always`,
    );
    const old = kubeconfig('old', 'https://h', exec('x').replace('v1beta1', 'v1alpha1'));
    expect(() => loadRestConfig({ kubeconfig: old })).toThrow(
      'exec.apiVersion "client.authentication.k8s.io/v1alpha1"',
    );
  });

  it('reads tls-server-name, proxy-url, disable-compression and impersonation; refuses an unknown proxy scheme', () => {
    const file = kubeconfig(
      'extras',
      'https://10.0.0.1:6443/k8s/clusters/c-xyz/',
      '    token: t\n    as: alice\n    as-uid: "42"\n    as-groups: [devs, ops]\n    as-user-extra: {scopes: [view]}',
    );
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '    server:',
        '    tls-server-name: api.example\n    proxy-url: http://proxy:3128\n    disable-compression: true\n    server:',
      ),
    );
    expect(loadRestConfig({ kubeconfig: file })).toMatchObject({
      server: 'https://10.0.0.1:6443/k8s/clusters/c-xyz',
      tlsServerName: 'api.example',
      proxyUrl: 'http://proxy:3128',
      disableCompression: true,
      impersonate: { userName: 'alice', uid: '42', groups: ['devs', 'ops'], extra: { scopes: ['view'] } },
    });
    writeFileSync(file, readFileSync(file, 'utf8').replace('http://proxy:3128', 'socks5://proxy:1080'));
    expect(loadRestConfig({ kubeconfig: file }).proxyUrl).toBe('socks5://proxy:1080');
    writeFileSync(file, readFileSync(file, 'utf8').replace('socks5://proxy:1080', 'ftp://proxy:21'));
    expect(() => loadRestConfig({ kubeconfig: file })).toThrow(
      `cluster "c" in ${file}: proxy-url "ftp://proxy:21": the scheme must be http, https or socks5`,
    );
  });

  it('uses the in-cluster service account when no kubeconfig is given, else falls back to ~/.kube/config', () => {
    const sa = join(dir, 'sa');
    process.env.KUBERNETES_SERVICE_HOST = 'fd00::1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    process.env.KUBEFORGE_SERVICEACCOUNT_DIR = sa;
    expect(() => loadRestConfig()).toThrow(`service-account token ${join(sa, 'token')} does not exist`);
    mkdirSync(join(dir, '.kube'));
    kubeconfig('.kube/config', 'https://10.0.0.9:6443', '    token: home');
    expect(loadRestConfig().server).toBe('https://10.0.0.9:6443');
    mkdirSync(sa);
    writeFileSync(join(sa, 'token'), 'sa-token');
    writeFileSync(join(sa, 'ca.crt'), CA_PEM);
    expect(loadRestConfig()).toEqual({ server: 'https://[fd00::1]:443', tokenFile: join(sa, 'token'), caData: CA_PEM });
  });

  it('falls back to ~/.kube/config and explains what to do when nothing is configured', () => {
    expect(() => loadRestConfig()).toThrow(/no apiserver configuration found: pass --kubeconfig, set KUBECONFIG/);
    mkdirSync(join(dir, '.kube'));
    kubeconfig('.kube/config', 'https://10.0.0.9:6443', '    token: home');
    expect(loadRestConfig().server).toBe('https://10.0.0.9:6443');
  });

  it('skips missing KUBECONFIG files as kubectl does, and names them when none exists', () => {
    const present = kubeconfig('present', 'https://10.0.0.3:6443', '    token: t');
    process.env.KUBECONFIG = `${join(dir, 'missing')}:${present}`;
    expect(loadRestConfig().server).toBe('https://10.0.0.3:6443');
    process.env.KUBECONFIG = join(dir, 'missing');
    expect(() => loadRestConfig()).toThrow(`KUBECONFIG: none of its kubeconfig files exists (${join(dir, 'missing')})`);
    expect(() => loadRestConfig({ kubeconfig: join(dir, 'gone') })).toThrow(
      `--kubeconfig: kubeconfig ${join(dir, 'gone')} does not exist`,
    );
  });

  it('prefers KUBECONFIG over the in-cluster service account, as controller-runtime does', () => {
    process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    process.env.KUBEFORGE_SERVICEACCOUNT_DIR = dir;
    writeFileSync(join(dir, 'token'), 'sa-token');
    process.env.KUBECONFIG = kubeconfig('env', 'https://10.0.0.4:6443', '    token: t');
    expect(loadRestConfig().server).toBe('https://10.0.0.4:6443');
  });
});
