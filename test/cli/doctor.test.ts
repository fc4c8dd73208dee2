/**
 * `kubeforge doctor` as a user runs it (the built CLI in a child process) with a controlled PATH
 * and HOME: a machine with everything (this run provisioned envtest, helm and controller-gen into
 * ~/.cache/kubeforge), one with only node and npm and an empty home, one without npm, and a
 * kubeconfig whose server does not answer.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testKubeconfigPath } from '../support/cluster.js';
import { CLI, REPO } from './cli-harness.js';

interface Doctor {
  code: number;
  stdout: string;
  stderr: string;
}

const NPM = join(dirname(process.execPath), 'npm');
const ENV_TOOLS = [
  'KUBEFORGE_ASSETS',
  'KUBEBUILDER_ASSETS',
  'KUBEFORGE_HELM',
  'KUBEFORGE_CONTROLLER_GEN',
  'XDG_CACHE_HOME',
];

function doctor(args: string[], env: NodeJS.ProcessEnv): Promise<Doctor> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'doctor', ...args], { env, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A bin directory holding only `node` (and `npm` unless left out). */
function binWith(tools: { npm: boolean }): string {
  const bin = mkdtempSync(join(tmpdir(), 'kubeforge-doctor-bin-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  if (tools.npm) symlinkSync(NPM, join(bin, 'npm'));
  return bin;
}

function bareEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ENV_TOOLS) delete env[name];
  return env;
}

/** The line of check `name`. */
const line = (run: Doctor, name: string) => run.stdout.split('\n').find((text) => text.slice(2).startsWith(`${name} `));

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  if (!existsSync(NPM)) throw new Error(`npm is not next to node (${NPM})`);
});

describe('kubeforge doctor', () => {
  it('passes every check on a provisioned machine with a reachable cluster', async () => {
    const run = await doctor([], { ...process.env, KUBECONFIG: testKubeconfigPath() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(line(run, 'node')).toMatch(/^✓ node\s+v\d+\.\d+\.\d+ \(kubeforge needs >=\d+\.\d+\.\d+\)$/);
    expect(line(run, 'npm')).toMatch(/^✓ npm\s+\d+\.\d+\.\d+$/);
    expect(line(run, 'envtest')).toMatch(/^✓ envtest\s+etcd and kube-apiserver in \//);
    expect(line(run, 'helm')).toMatch(/^✓ helm\s+v3\.\S* at \//);
    expect(line(run, 'controller-gen')).toMatch(/^✓ controller-gen\s+Version: v0\.23\.0 at \//);
    expect(line(run, 'context')).toMatch(
      /^✓ context \S+\s+https:\/\/127\.0\.0\.1:\d+ answers: Kubernetes v1\.\d+\.\d+/,
    );
    // Go is optional even here: the run needs it only when a tool is missing from the cache.
    expect(run.stdout.split('\n').filter((text) => text.startsWith('✗') && !text.startsWith('✗ go '))).toEqual([]);
  });

  it('with only node and npm and an empty home: optional checks fail with a fix, exit 0', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kubeforge-doctor-home-'));
    const run = await doctor([], bareEnv({ PATH: binWith({ npm: true }), HOME: home, KUBECONFIG: '' }));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(line(run, 'node')).toMatch(/^✓ /);
    expect(line(run, 'npm')).toMatch(/^✓ /);
    expect(line(run, 'go')).toMatch(/^✗ go\s+not found on PATH .*\(optional\)$/);
    expect(line(run, 'kubectl')).toMatch(/^✗ kubectl\s+not found on PATH .*\(optional\)$/);
    expect(line(run, 'envtest')).toContain(`no binaries (looked in ${home}/.cache/kubeforge/envtest/`);
    expect(line(run, 'helm')).toContain(`not in ${home}/.cache/kubeforge/tools or on PATH`);
    expect(line(run, 'context')).toContain(`no usable kubeconfig (${home}/.kube/config)`);
    const fixes = run.stdout.split('\n').filter((text) => text.trim().startsWith('fix: '));
    expect(fixes).toHaveLength(6);
    expect(run.stdout).toContain('fix: run `kubeforge envtest setup`');
    expect(run.stdout).toContain('fix: helm v3.19.0: set KUBEFORGE_HELM to an existing binary, or install Go');
    expect(run.stdout).toContain('fix: start a local cluster: `kubeforge envtest start --with-controller-manager');
  });

  it('without npm: a required check fails and doctor exits 1 naming it', async () => {
    const run = await doctor([], bareEnv({ PATH: binWith({ npm: false }), KUBECONFIG: testKubeconfigPath() }));
    expect(run.code).toBe(1);
    expect(line(run, 'npm')).toMatch(/^✗ npm\s+not found on PATH$/);
    expect(run.stdout).toContain('fix: npm comes with Node');
    expect(run.stderr).toContain('required: npm — see the fixes above');
  });

  it('names the context and the server that does not answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-doctor-kubeconfig-'));
    mkdirSync(dir, { recursive: true });
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: gone',
        'clusters: [{ name: gone, cluster: { server: "https://127.0.0.1:1" } }]',
        'contexts: [{ name: gone, context: { cluster: gone, user: nobody } }]',
        'users: [{ name: nobody, user: { token: abc } }]',
      ].join('\n'),
    );
    const run = await doctor(['--kubeconfig', kubeconfig], process.env);
    expect(run.code).toBe(0);
    expect(line(run, 'context')).toMatch(/^✗ context gone\s+https:\/\/127\.0\.0\.1:1 unreachable: .*\(optional\)$/);
    expect(run.stdout).not.toContain('abc');
  });
});
