import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOfInputs, loadFreshBundle } from './code-cache.js';

let dir: string;
let cacheDir: string;
const previousCacheDir = process.env.KUBEFORGE_CACHE_DIR;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeforge-bundle-'));
  cacheDir = join(dir, 'cache');
  process.env.KUBEFORGE_CACHE_DIR = cacheDir;
});
afterEach(() => {
  if (previousCacheDir === undefined) delete process.env.KUBEFORGE_CACHE_DIR;
  else process.env.KUBEFORGE_CACHE_DIR = previousCacheDir;
  rmSync(dir, { recursive: true, force: true });
});

/** A bundle built from one input file; `builtAt` (seconds) is its mtime, as a rebuild changes it. */
function writeBundle(source: string, builtAt = 2000): string {
  const bundle = join(dir, 'cli', 'thing.bundle.cjs');
  mkdirSync(join(dir, 'cli'), { recursive: true });
  writeFileSync(join(dir, 'input.js'), 'export const answer = 42;\n');
  writeFileSync(bundle, source);
  const inputs = ['../input.js'];
  writeFileSync(
    join(dir, 'cli', 'thing.bundle.json'),
    JSON.stringify({ inputs, digest: digestOfInputs(join(dir, 'cli'), inputs) }),
  );
  utimesSync(bundle, builtAt, builtAt);
  return bundle;
}

const caches = () => readdirSync(join(cacheDir, 'v8')).sort();

describe('loadFreshBundle', () => {
  it('runs a bundle built from the current inputs, with __dirname and require of its real place', () => {
    writeBundle('exports.answer = 42; exports.dir = __dirname; exports.sep = require("node:path").sep;');
    symlinkSync(join(dir, 'cli'), join(dir, 'linked'));
    const expected = { answer: 42, dir: realpathSync(join(dir, 'cli')), sep: '/' };
    expect(loadFreshBundle(join(dir, 'cli', 'thing.bundle.cjs'))?.exports).toEqual(expected);
    expect(loadFreshBundle(join(dir, 'linked', 'thing.bundle.cjs'))?.exports).toEqual(expected);
  });

  it("gives the bundle an import() of Node's loader (a vm script has none)", async () => {
    const bundle = writeBundle('exports.load = () => module.importFromDist("node:path");');
    const { load } = loadFreshBundle(bundle)!.exports as { load(): Promise<{ sep: string }> };
    expect((await load()).sep).toBe('/');
  });

  it('runs nothing when an input changed since the bundle was built, is missing, or the bundle is missing', () => {
    const bundle = writeBundle('exports.answer = 42;');
    writeFileSync(join(dir, 'input.js'), 'export const answer = 43;\n');
    expect(loadFreshBundle(bundle)).toBeUndefined();
    rmSync(join(dir, 'input.js'));
    expect(loadFreshBundle(bundle)).toBeUndefined();
    expect(loadFreshBundle(join(dir, 'cli', 'none.bundle.cjs'))).toBeUndefined();
  });

  it('writes one code cache per bundle, reuses it, and replaces the stale ones of the same file when writing', () => {
    mkdirSync(join(cacheDir, 'v8'), { recursive: true });
    const unrelated = `${'a'.repeat(32)}-${'b'.repeat(32)}.bin`;
    const previousScheme = `${'c'.repeat(64)}.bin`;
    writeFileSync(join(cacheDir, 'v8', unrelated), '');
    writeFileSync(join(cacheDir, 'v8', previousScheme), '');
    const source = 'exports.twice = function (n) { return 2 * n; };';
    const first = loadFreshBundle(writeBundle(source));
    first?.saveCodeCache();
    const [firstCache] = caches().filter((name) => name !== unrelated);
    expect(caches()).toEqual([firstCache, unrelated].sort());

    const again = loadFreshBundle(writeBundle(source));
    rmSync(join(cacheDir, 'v8', unrelated));
    again?.saveCodeCache();
    expect(caches()).toEqual([firstCache]);

    const rebuilt = loadFreshBundle(writeBundle(source, 3000));
    expect((rebuilt?.exports.twice as (n: number) => number)(4)).toBe(8);
    rebuilt?.saveCodeCache();
    expect(caches()).toHaveLength(1);
    expect(caches()).not.toEqual([firstCache]);
  });
});
