/**
 * Loads TypeScript's compiler for the syntactic parse: the bundle ts-morph ships
 * (`@ts-morph/common/dist/typescript.js`, resolved from ts-morph, so it is the TypeScript ts-morph's
 * source edits use), without ts-morph itself — the parse needs `createSourceFile` alone, and
 * loading ts-morph's ~2.5 MB wrapper and its dependencies cost a run ~60 ms more. The bundle is
 * ~9 MB of JavaScript whose compilation was most of `kubeforge manifests`' start-up. Node 20 has
 * no built-in compile cache (22 does), so the bundle is compiled through `vm.Script` with a V8 code
 * cache in `~/.cache/kubeforge/v8/` (as `v8-compile-cache` does), keyed by Node version, path,
 * size and mtime. Any problem with the cache falls back to Node's own loader. `require`, not
 * `import()`: ESM-importing the CommonJS bundle would also run Node's export scanner over it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { ts } from 'ts-morph';

interface LoaderModule {
  exports: unknown;
  require(id: string): unknown;
}
interface ModuleInternals {
  wrap(content: string): string;
  _resolveFilename(request: string, parent: LoaderModule, isMain: boolean, options?: unknown): string;
  _cache: Record<string, unknown>;
  prototype: { _compile(this: LoaderModule, content: string, filename: string): unknown };
}

const internals = Module as unknown as ModuleInternals;
const CACHED = /[\\/]typescript\.js$/;

/** What a cache file holds, in its key: a cache written before the parse holds the top level only. */
const CACHE_CONTENT = 'after-parse';

function cacheFile(filename: string): string {
  const { size, mtimeMs } = statSync(filename);
  const key = createHash('sha256')
    .update(`${process.version}\0${filename}\0${size}\0${mtimeMs}\0${CACHE_CONTENT}`)
    .digest('hex');
  return join(process.env.KUBEFORGE_CACHE_DIR ?? join(homedir(), '.cache', 'kubeforge'), 'v8', `${key}.bin`);
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function compileWithCache(module: LoaderModule, content: string, filename: string): unknown {
  const path = cacheFile(filename);
  const cachedData = readCache(path);
  const script = new Script(internals.wrap(content), { filename, cachedData });
  const run = script.runInThisContext() as (...args: unknown[]) => unknown;
  const moduleRequire = Object.assign((id: string) => module.require(id), {
    resolve: (request: string, options?: unknown) => internals._resolveFilename(request, module, false, options),
    cache: internals._cache,
  });
  const result = run.call(module.exports, module.exports, moduleRequire, module, filename, dirname(filename));
  if (!cachedData || script.cachedDataRejected) unsavedCache = { script, path };
  return result;
}

/** The compiled bundle whose code cache is still to be written (none, or a rejected one, was read). */
let unsavedCache: { script: Script; path: string } | undefined;

/**
 * Writes the code cache of the bundle, if this process compiled it without one. Called after the
 * parse, so the cache also holds the parser's functions V8 compiled lazily on first use (~10 ms
 * of each later run), not only the bundle's top level.
 */
export function saveTypeScriptCodeCache(): void {
  if (!unsavedCache) return;
  const { script, path } = unsavedCache;
  unsavedCache = undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, script.createCachedData());
  } catch {
    // A read-only home only costs the next run its cache.
  }
}

/**
 * TypeScript's compiler API, once per process (later calls get `require`'s cached module). Call
 * `saveTypeScriptCodeCache` once it has parsed.
 */
export function loadTypeScript(): typeof ts {
  const original = internals.prototype._compile;
  internals.prototype._compile = function (content, filename) {
    if (!CACHED.test(filename)) return original.call(this, content, filename);
    try {
      return compileWithCache(this, content, filename);
    } catch {
      return original.call(this, content, filename);
    }
  };
  try {
    const fromTsMorph = createRequire(createRequire(import.meta.url).resolve('ts-morph'));
    return fromTsMorph('@ts-morph/common/dist/typescript.js') as typeof ts;
  } finally {
    internals.prototype._compile = original;
  }
}
