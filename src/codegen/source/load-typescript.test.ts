import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..', '..');
// The loader must run in fresh processes (a module loaded once stays in require's cache), from a
// place where `ts-morph` resolves: bundle it next to node_modules.
const bundleDir = join(REPO, 'node_modules', '.cache', 'kubeforge-tests');
const cacheDir = mkdtempSync(join(tmpdir(), 'kubeforge-v8-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

function parseInFreshProcess(script: string): string {
  return execFileSync(process.execPath, [script], {
    env: { ...process.env, KUBEFORGE_CACHE_DIR: cacheDir },
    encoding: 'utf8',
  });
}

describe('loading TypeScript', { timeout: 60_000 }, () => {
  it('writes a V8 code cache for the TypeScript bundle on first use and parses the same with it, without loading ts-morph', async () => {
    const { build } = await import('esbuild');
    mkdirSync(bundleDir, { recursive: true });
    const entry = join(bundleDir, 'load-entry.ts');
    const script = join(bundleDir, 'load-typescript.mjs');
    await build({
      stdin: {
        contents: `import { createRequire } from 'node:module';
import { loadTypeScript, saveTypeScriptCodeCache } from ${JSON.stringify(join(import.meta.dirname, 'load-typescript.ts'))};
const ts = loadTypeScript();
const file = ts.createSourceFile('a.ts', 'export interface A { b?: string }', ts.ScriptTarget.Latest, true);
saveTypeScriptCodeCache();
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => /ts-morph[\\\\/]dist/.test(path));
console.log(file.statements[0].members.map((member) => member.name.text).join(','), loaded.length);`,
        resolveDir: bundleDir,
        sourcefile: entry,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['ts-morph'],
      outfile: script,
      logLevel: 'silent',
    });
    expect(parseInFreshProcess(script).trim()).toBe('b 0');
    expect(readdirSync(join(cacheDir, 'v8'))).toHaveLength(1);
    expect(parseInFreshProcess(script).trim()).toBe('b 0');
    expect(readdirSync(join(cacheDir, 'v8'))).toHaveLength(1);
  });
});
