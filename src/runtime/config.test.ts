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
    expect(loadRestConfig({ kubeconfig: file })).toMatchObject({ certData: 'CERT', keyData: 'KEY' });
  });

  it('names a context whose cluster is not defined', () => {
    const file = join(dir, 'broken');
    writeFileSync(file, 'contexts: [{name: x, context: {cluster: nowhere, user: u}}]\ncurrent-context: x\n');
    expect(() => loadRestConfig({ kubeconfig: file })).toThrow(
      'context "x" names cluster "nowhere", which is not defined',
    );
  });

  it('runs an exec credential plugin for the Authorization header', async () => {
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'from-plugin' },
    });
    const script = join(dir, 'plugin.mjs');
    writeFileSync(script, `process.stdout.write(${JSON.stringify(credential)});`);
    const file = kubeconfig(
      'exec',
      'https://10.0.0.1:6443',
      `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${process.execPath}\n      args: ["${script}"]\n      interactiveMode: Never`,
    );
    const config: PluginRestConfig = loadRestConfig({ kubeconfig: file });
    expect(config.token).toBeUndefined();
    expect(await config.authHeaders!()).toMatchObject({ Authorization: 'Bearer from-plugin' });
  });

  it('uses the in-cluster service account when no kubeconfig is given', () => {
    const sa = join(dir, 'sa');
    process.env.KUBERNETES_SERVICE_HOST = 'fd00::1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    process.env.KUBEFORGE_SERVICEACCOUNT_DIR = sa;
    expect(() => loadRestConfig()).toThrow(`service-account token ${join(sa, 'token')} does not exist`);
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

  it('names the missing file when KUBECONFIG points nowhere', () => {
    process.env.KUBECONFIG = join(dir, 'missing');
    expect(() => loadRestConfig()).toThrow(`KUBECONFIG: kubeconfig ${join(dir, 'missing')} does not exist`);
  });
});
