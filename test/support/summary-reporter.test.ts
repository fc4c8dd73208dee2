/**
 * The closing line counts broken setup as failure: a run of fixtures/reporter (one passing test, a
 * failing file-level and suite-level `beforeAll`, a file that cannot load) must not read "0 failed".
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');

function runFixtureSuite(): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'fixtures/reporter/vitest.config.ts'],
      { cwd: repo, env: { ...process.env, KUBEFORGE_TEST_PROVISIONING: '' } },
      (error, stdout) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

describe('the summary reporter', () => {
  it('counts failed hooks and unloadable files as failures and names them', { timeout: 120_000 }, async () => {
    const { code, stdout } = await runFixtureSuite();
    const lines = stdout.trim().split('\n');
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe('tests: 1 passed, 3 failed, 2 skipped');
    expect(lines).toContain('failed outside a test: failing-file-hook.test.ts: file-level setup broke');
    expect(lines).toContain(
      'failed outside a test: failing-suite-hook.test.ts > a suite whose setup fails: suite setup broke',
    );
    expect(lines.some((line) => /^failed outside a test: unloadable\.test\.ts: Cannot find module/.test(line))).toBe(
      true,
    );
  });
});
