/**
 * Exec credential plugins through the transport, with a Node script as the plugin and a local TLS
 * server accepting one token at a time: one run shared by concurrent requests, cached without
 * expirationTimestamp, run again on 401 (once for many requests) and on expiry, stderr passed
 * through, a time limit, installHint, KUBERNETES_EXEC_INFO with cluster info, a relative command
 * resolved against the kubeconfig, and client certificates from the plugin.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecPluginConfig, PluginRestConfig } from '../../src/runtime/client/index.js';
import { Transport, type TransportOptions } from '../../src/runtime/client/transport.js';
import { loadRestConfig } from '../../src/runtime/index.js';
import { json, startApiserver, testCertificates, type TestApiserver } from './transport-servers.js';

const PLUGIN = `
import { appendFileSync, readFileSync } from 'node:fs';
const dir = process.env.PLUGIN_DIR;
appendFileSync(dir + '/runs', 'run\\n');
const run = readFileSync(dir + '/runs', 'utf8').split('\\n').length - 1;
appendFileSync(dir + '/exec-info', process.env.KUBERNETES_EXEC_INFO + '\\n');
process.stderr.write('open https://login.example/device and enter CODE-' + run + '\\n');
const mode = process.env.PLUGIN_MODE ?? 'token';
if (mode === 'hang') setInterval(() => {}, 1000);
else {
  const status =
    mode === 'cert'
      ? { clientCertificateData: readFileSync(dir + '/tls.crt', 'utf8'), clientKeyData: readFileSync(dir + '/tls.key', 'utf8') }
      : { token: 'token-' + run };
  if (mode === 'expired') status.expirationTimestamp = new Date(Date.now() - 1000).toISOString();
  process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
}
`;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Setup {
  dir: string;
  server: TestApiserver;
  ca: string;
  runs(): number;
  /** The token the server accepts now. */
  accept: { token: string };
  seen: string[];
}

async function setup(
  requestCert = false,
): Promise<Setup & { certificates: Awaited<ReturnType<typeof testCertificates>> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-exec-'));
  writeFileSync(join(dir, 'plugin.mjs'), PLUGIN);
  writeFileSync(join(dir, 'runs'), '');
  writeFileSync(join(dir, 'exec-info'), '');
  const certificates = await testCertificates();
  const accept = { token: 'token-1' };
  const seen: string[] = [];
  const server = await startApiserver(
    certificates,
    (req, res) => {
      const auth = String(req.headers.authorization ?? '');
      seen.push(auth);
      if (requestCert || auth === `Bearer ${accept.token}`) json(res, 200, {});
      else json(res, 401, { kind: 'Status', code: 401, reason: 'Unauthorized' });
    },
    { requestCert },
  );
  cleanup.push(() => server.close());
  const runs = () => readFileSync(join(dir, 'runs'), 'utf8').split('\n').length - 1;
  return { dir, server, ca: certificates.ca.cert, runs, accept, seen, certificates };
}

function execConfig(dir: string, mode = 'token', extra: Partial<ExecPluginConfig> = {}): ExecPluginConfig {
  return {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: process.execPath,
    args: [join(dir, 'plugin.mjs')],
    env: [
      { name: 'PLUGIN_DIR', value: dir },
      { name: 'PLUGIN_MODE', value: mode },
    ],
    interactiveMode: 'Never',
    provideClusterInfo: false,
    source: 'user "test"',
    ...extra,
  };
}

function transport(s: Setup, exec: ExecPluginConfig, options: TransportOptions = {}): Transport {
  const stderr = new PassThrough();
  stderr.resume();
  const config: PluginRestConfig = { server: s.server.url, caData: s.ca, exec };
  const t = new Transport(config, { qps: -1, exec: { stderr }, ...options });
  cleanup.push(() => t.close());
  return t;
}

const get = (t: Transport) => t.request({ method: 'GET', path: '/api' });

describe('exec credential plugins', () => {
  it('runs once for 20 concurrent cold requests and caches a credential without expirationTimestamp', async () => {
    const s = await setup();
    const t = transport(s, execConfig(s.dir));
    await Promise.all(Array.from({ length: 20 }, () => get(t)));
    for (let i = 0; i < 5; i++) await get(t);
    expect(s.runs()).toBe(1);
    expect(new Set(s.seen)).toEqual(new Set(['Bearer token-1']));
  });

  it('runs again when the server answers 401 — once for many requests — and retries with the new token', async () => {
    const s = await setup();
    const t = transport(s, execConfig(s.dir));
    await get(t);
    s.accept.token = 'token-2';
    await Promise.all(Array.from({ length: 10 }, () => get(t)));
    expect(s.runs()).toBe(2);
    expect(s.seen.filter((auth) => auth === 'Bearer token-2')).toHaveLength(10);
  });

  it('runs again once the credential expired', async () => {
    const s = await setup();
    const t = transport(s, execConfig(s.dir, 'expired'));
    s.accept.token = 'token-1';
    await get(t);
    s.accept.token = 'token-2';
    await get(t);
    expect(s.runs()).toBe(2);
  });

  it("passes the plugin's stderr through (device codes stay visible)", async () => {
    const s = await setup();
    const stderr = new PassThrough();
    const lines: string[] = [];
    stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    await get(transport(s, execConfig(s.dir), { exec: { stderr } }));
    expect(lines.join('')).toBe('open https://login.example/device and enter CODE-1\n');
  });

  it('kills a plugin that does not finish within the time limit and fails the request', async () => {
    const s = await setup();
    const t = transport(s, execConfig(s.dir, 'hang'), { exec: { timeoutMs: 300 } });
    await expect(get(t)).rejects.toThrow(
      `exec plugin of user "test": ${process.execPath} did not finish within 300 ms; killed`,
    );
  });

  it('shows the installHint when the command is not installed', async () => {
    const s = await setup();
    const exec = execConfig(s.dir, 'token', {
      command: 'kubeforge-test-no-such-plugin',
      installHint: 'Install it with: brew install no-such-plugin',
    });
    await expect(get(transport(s, exec))).rejects.toThrow(
      /executable kubeforge-test-no-such-plugin not found[\s\S]*Install it with: brew install no-such-plugin/,
    );
  });

  it('resolves a relative command against the kubeconfig and sets KUBERNETES_EXEC_INFO with cluster info', async () => {
    const s = await setup();
    mkdirSync(join(s.dir, 'bin'));
    writeFileSync(
      join(s.dir, 'bin', 'plugin'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(s.dir, 'plugin.mjs')}"\n`,
    );
    chmodSync(join(s.dir, 'bin', 'plugin'), 0o755);
    const kubeconfig = join(s.dir, 'config');
    writeFileSync(
      kubeconfig,
      `clusters:
- name: c
  cluster:
    server: ${s.server.url}
    certificate-authority-data: ${Buffer.from(s.ca).toString('base64')}
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {audience: kubeforge-test}
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      provideClusterInfo: true
      interactiveMode: IfAvailable
      env: [{name: PLUGIN_DIR, value: "${s.dir}"}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    const t = new Transport(loadRestConfig({ kubeconfig }), { exec: { stderr: new PassThrough().resume() } });
    cleanup.push(() => t.close());
    await get(t);
    const info = JSON.parse(readFileSync(join(s.dir, 'exec-info'), 'utf8').trim()) as Record<string, unknown>;
    expect(info).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: {
          server: s.server.url,
          'certificate-authority-data': Buffer.from(s.ca).toString('base64'),
          config: { audience: 'kubeforge-test' },
        },
      },
    });
  });

  it('authenticates with the client certificate a plugin returns', async () => {
    const s = await setup(true);
    const pair = await s.certificates.client('from-plugin');
    writeFileSync(join(s.dir, 'tls.crt'), pair.cert);
    writeFileSync(join(s.dir, 'tls.key'), pair.key);
    await get(transport(s, execConfig(s.dir, 'cert')));
    expect(s.server.clientNames).toEqual(['from-plugin']);
    expect(s.seen).toEqual(['']);
  });
});
