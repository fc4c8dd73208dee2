/**
 * Loads TypeScript's compiler for the syntactic parse: the bundle ts-morph ships
 * (`@ts-morph/common/dist/typescript.js`, resolved from ts-morph, so it is the TypeScript ts-morph's
 * source edits use), without ts-morph itself — the parse needs `createSourceFile` alone, and
 * loading ts-morph's ~2.5 MB wrapper and its dependencies cost a run ~60 ms more. The bundle is
 * ~9 MB of JavaScript whose compilation was most of `kubeforge manifests`' start-up: it is compiled
 * with a V8 code cache (code-cache.ts); if that cannot compile it, Node's own loader does. `require`, not
 * `import()`: ESM-importing the CommonJS bundle would also run Node's export scanner over it.
 */
import Module, { createRequire } from 'node:module';
import type { ts } from 'ts-morph';
import { compileWithCodeCache, type CachedCommonJs } from './code-cache.js';

interface LoaderModule {
  exports: unknown;
}
interface ModuleInternals {
  prototype: { _compile(this: LoaderModule, content: string, filename: string): unknown };
}

const internals = Module as unknown as ModuleInternals;
const CACHED = /[\\/]typescript\.js$/;

/** The compiled bundle whose code cache is still to be written. */
let unsavedCache: CachedCommonJs | undefined;

/**
 * Writes the code cache of the bundle, if this process compiled it without one. Called after the
 * parse, so the cache also holds the parser's functions V8 compiled lazily on first use (~10 ms
 * of each later run), not only the bundle's top level.
 */
export function saveTypeScriptCodeCache(): void {
  unsavedCache?.saveCodeCache();
  unsavedCache = undefined;
}

/**
 * TypeScript's compiler API, once per process (later calls get `require`'s cached module). Call
 * `saveTypeScriptCodeCache` once it has parsed.
 */
export function loadTypeScript(): typeof ts {
  const original = internals.prototype._compile;
  internals.prototype._compile = function (content, filename) {
    if (!CACHED.test(filename)) return original.call(this, content, filename);
    let compiled: CachedCommonJs;
    try {
      compiled = compileWithCodeCache(filename, content);
    } catch {
      return original.call(this, content, filename);
    }
    compiled.run(this, createRequire(filename));
    unsavedCache = compiled;
  };
  try {
    const fromTsMorph = createRequire(createRequire(import.meta.url).resolve('ts-morph'));
    return fromTsMorph('@ts-morph/common/dist/typescript.js') as typeof ts;
  } finally {
    internals.prototype._compile = original;
  }
}
