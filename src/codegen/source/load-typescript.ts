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
import { dirname } from 'node:path';
import type { ts } from 'ts-morph';
import { compileWithCodeCache, type CachedCommonJs } from './code-cache.js';

interface ModuleInternals {
  new (id: string): NodeJS.Module;
  _nodeModulePaths(dir: string): string[];
  _cache: Record<string, NodeJS.Module>;
}

const internals = Module as unknown as ModuleInternals;

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
  const fromTsMorph = createRequire(createRequire(import.meta.url).resolve('ts-morph'));
  const filename = fromTsMorph.resolve('@ts-morph/common/dist/typescript.js');
  const loaded = internals._cache[filename];
  if (loaded) return loaded.exports as typeof ts;
  let compiled: CachedCommonJs;
  try {
    compiled = compileWithCodeCache(filename);
  } catch {
    return fromTsMorph(filename) as typeof ts;
  }
  // As Node's loader would: a module in require's cache, so ts-morph, if loaded later, shares it.
  const module = new internals(filename);
  module.filename = filename;
  module.paths = internals._nodeModulePaths(dirname(filename));
  internals._cache[filename] = module;
  compiled.run(module, createRequire(filename));
  module.loaded = true;
  unsavedCache = compiled;
  return module.exports as typeof ts;
}
