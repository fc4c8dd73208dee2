import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/envtest/processes.js';
import { pathWithoutGo } from '../support/path-without-go.js';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'kubeforge.js');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('kubeforge envtest setup on a machine without Go or binaries', () => {
  const cacheHome = mkdtempSync(join(tmpdir(), 'kubeforge-empty-cache-'));
  afterEach(() => rmSync(cacheHome, { recursive: true, force: true }));

  it('fails with an error that says what to install or set, and writes no binaries', async () => {
    const unreachable = `http://127.0.0.1:${await freePort()}/envtest-releases.yaml`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: pathWithoutGo(),
      XDG_CACHE_HOME: cacheHome,
      KUBEBUILDER_ASSETS: '',
      KUBEFORGE_ASSETS: '',
      KUBEFORGE_ENVTEST_INDEX_URL: unreachable,
    };
    const result = await runCli(['envtest', 'setup'], env);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: no envtest binaries (etcd, kube-apiserver) are available');
    expect(result.stderr).toContain(`download of ${unreachable} failed: connect ECONNREFUSED`);
    expect(result.stderr).toContain('`go` was not found on PATH');
    expect(result.stderr).toMatch(/hint: install Go >= 1\.26 .* or set KUBEBUILDER_ASSETS/);
    const envtestCache = join(cacheHome, 'kubeforge', 'envtest');
    expect(existsSync(envtestCache) ? readdirSync(envtestCache) : []).toEqual([]);
  });
});
