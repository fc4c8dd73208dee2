import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pathWithoutGo } from '../../test/support/path-without-go.js';
import { ensureGoTool, findGoTool, type GoToolSpec } from './go-tools.js';

const SPEC: GoToolSpec = {
  name: 'fake-tool',
  goPackage: 'example.com/fake-tool/cmd/fake-tool',
  version: 'v1.2.3',
  versionArgs: ['--version'],
  envVar: 'KUBEFORGE_TEST_FAKE_TOOL',
};

/** A real executable that prints `version` when asked for it. */
function writeTool(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, SPEC.name);
  writeFileSync(path, `#!/bin/sh\n[ "$1" = --version ] && echo "fake-tool version ${version}"\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('Go tools', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'kubeforge-go-tools-'));
    vi.stubEnv('XDG_CACHE_HOME', join(home, 'cache'));
    vi.stubEnv(SPEC.envVar, '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(home, { recursive: true, force: true });
  });

  it('takes the binary named by its environment variable', () => {
    const path = writeTool(join(home, 'elsewhere'), 'v1.2.3');
    vi.stubEnv(SPEC.envVar, path);
    expect(findGoTool(SPEC)).toEqual({ path, source: 'env', version: 'fake-tool version v1.2.3' });
  });

  it('refuses an environment variable that names a binary of another version', () => {
    vi.stubEnv(SPEC.envVar, writeTool(join(home, 'elsewhere'), 'v9.9.9'));
    expect(() => findGoTool(SPEC)).toThrow(/KUBEFORGE_TEST_FAKE_TOOL=.* is not a usable fake-tool .*mention v1\.2\.3/);
  });

  it('finds the cached build before PATH and skips binaries of another version', () => {
    const onPath = join(home, 'bin');
    writeTool(onPath, 'v1.2.3');
    vi.stubEnv('PATH', `${onPath}:${process.env.PATH}`);
    expect(findGoTool(SPEC)?.source).toBe('PATH');
    const cached = writeTool(join(home, 'cache', 'kubeforge', 'tools'), 'v1.2.3');
    expect(findGoTool(SPEC)).toMatchObject({ path: cached, source: 'cache' });
    writeTool(join(home, 'cache', 'kubeforge', 'tools'), 'v1.0.0');
    expect(findGoTool(SPEC)?.source).toBe('PATH');
  });

  it('fails with what to install or set when the tool is missing and Go is not on PATH', async () => {
    vi.stubEnv('PATH', pathWithoutGo());
    await expect(ensureGoTool(SPEC)).rejects.toThrow(
      'fake-tool is missing and `go` was not found on PATH. fake-tool v1.2.3: set KUBEFORGE_TEST_FAKE_TOOL to an existing binary, or install Go >= 1.26 to build it (`go install example.com/fake-tool/cmd/fake-tool@v1.2.3`)',
    );
    const toolsDir = join(home, 'cache', 'kubeforge', 'tools');
    expect(existsSync(toolsDir) ? readdirSync(toolsDir) : []).toEqual([]);
  });
});
