import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/envtest/processes.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'bin', 'kubeforge.js');

describe('kubeforge envtest start and use', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kubeforge-cli-start-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints the asset directory for scripts', async () => {
    const cache = join(scratch, 'cache');
    const bin = join(cache, 'kubeforge', 'envtest', '1.37.2', 'bin');
    mkdirSync(bin, { recursive: true });
    for (const name of ['etcd', 'kube-apiserver']) writeFileSync(join(bin, name), '#!/bin/sh\n', { mode: 0o755 });
    const env = { ...process.env, XDG_CACHE_HOME: cache, KUBEFORGE_ASSETS: '', KUBEBUILDER_ASSETS: '' };
    const { stdout } = await run(process.execPath, [cli, 'envtest', 'use'], { env });
    expect(stdout).toBe(`${scratch}/cache/kubeforge/envtest/1.37.2/bin\n`);
  });

  it('runs a control plane with CRDs until Ctrl-C, then stops it and everything it started', async () => {
    const kubeconfig = join(scratch, 'kubeconfig');
    const child = spawn(
      process.execPath,
      [cli, 'envtest', 'start', '--crds', join(import.meta.dirname, 'fixtures', 'crds'), '--kubeconfig', kubeconfig],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => stdout.includes('press Ctrl-C to stop') && resolve());
      void exited.then((code) => reject(new Error(`envtest start exited early (${code}): ${stdout}`)));
    });
    expect(stdout).toContain(`export KUBECONFIG=${kubeconfig}`);
    const runDir = /logs: (\S+)/.exec(stdout)![1];

    const { stdout: crds } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'crd', '-o', 'name']);
    expect(crds.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.test.kubeforge.io');
    const pidsDir = join(runDir, 'pids');
    const componentPids = readdirSync(pidsDir).map((file) => Number(readFileSync(join(pidsDir, file), 'utf8')));
    expect(componentPids).toHaveLength(2);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('stopped');
    expect(componentPids.filter(isAlive)).toEqual([]);
    expect(existsSync(runDir)).toBe(false);
  });
});
