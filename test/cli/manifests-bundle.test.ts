import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CRD_FIXTURES } from '../codegen/fixture-projects.js';

const REPO = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'kubeforge-manifests-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `kubeforge manifests` from dist/'s modules, as bin/kubeforge.js runs it without a fresh bundle. */
const fromDist = join(work, 'from-dist.mjs');
writeFileSync(
  fromDist,
  `import { mainOfManifests } from ${JSON.stringify(join(REPO, 'dist', 'cli', 'manifests.js'))};\nprocess.exitCode = await mainOfManifests(process.argv);\n`,
);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
}

function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  }
  return files;
}

/** A fresh project (same path each time), the command run in it with the code cache directory `cache`. */
function run(script: string, cache: string, types: Record<string, string>, args: string[]): Run {
  const project = join(work, 'project');
  rmSync(project, { recursive: true, force: true });
  mkdirSync(join(project, 'api', 'v1'), { recursive: true });
  for (const [file, text] of Object.entries(types)) writeFileSync(join(project, 'api', 'v1', file), text);
  const result = spawnSync(process.execPath, [script, 'manifests', ...args], {
    cwd: project,
    env: { ...process.env, KUBEFORGE_CACHE_DIR: join(work, cache) },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, files: filesUnder(project) };
}

const guestbook = { 'guestbook.types.ts': readFileSync(join(CRD_FIXTURES, 'guestbook.types.ts'), 'utf8') };
const badMarker = {
  'groupversion.ts': '// +groupName=bench.example.com\nexport {};\n',
  'thing.types.ts': `// +kubebuilder:object:root=true
export interface Thing {
  apiVersion?: string;
  kind?: string;
  spec?: {
    // +kubebuilder:validation:Minimum=zero
    size?: number;
  };
}
`,
};

describe('kubeforge manifests from the bundle `npm run build` makes', { timeout: 60_000 }, () => {
  it.each([
    ['writes the same files', guestbook, [], 0, true],
    ['prints the same plan with --dry-run', guestbook, ['--dry-run'], 0, true],
    ['reports the same marker errors and exit code', badMarker, [], 1, true],
    ['reports the same flag errors', guestbook, ['--max-desc-len', 'x'], 1, true],
    ['prints the same help', guestbook, ['--help'], 0, true],
    // --check runs from dist/ alone: its modules are not in the bundle.
    ['reports the same --check errors', guestbook, ['--check', '--kubeconfig', '/nonexistent'], 1, false],
  ])('%s as dist/ does', (_name, types, args, status, bundled) => {
    if (!existsSync(join(REPO, 'dist', 'cli', 'manifests.bundle.cjs'))) {
      throw new Error('dist/cli/manifests.bundle.cjs is missing: run `npm run build` first');
    }
    const bin = join(REPO, 'bin', 'kubeforge.js');
    for (const cache of ['cache-bundle', 'cache-dist']) rmSync(join(work, cache), { recursive: true, force: true });
    const viaBundle = run(bin, 'cache-bundle', types, args);
    expect(viaBundle).toEqual(run(fromDist, 'cache-dist', types, args));
    expect(viaBundle.status).toBe(status);
    // Whether the bundle ran: its code cache is written, beside TypeScript's when the run parsed.
    const cacheFiles = (cache: string) =>
      existsSync(join(work, cache, 'v8')) ? readdirSync(join(work, cache, 'v8')).length : 0;
    expect(cacheFiles('cache-bundle')).toBe(cacheFiles('cache-dist') + (bundled ? 1 : 0));
  });
});
