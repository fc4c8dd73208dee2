/**
 * Compiles big CommonJS files (TypeScript's 9 MB bundle, the `kubeforge manifests` bundle) through
 * `vm.Script` with a V8 code cache in `~/.cache/kubeforge/v8/` (`$KUBEFORGE_CACHE_DIR/v8/`), as
 * `v8-compile-cache` does: Node 20 has no built-in compile cache (22 does), and compiling them was
 * most of a run's start-up. A cache is keyed by the file's path, size and mtime and Node's version;
 * writing one deletes the stale caches of the same file. Any problem reading or writing a cache
 * costs the run its speed, never its result.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

interface ModuleInternals {
  wrap(content: string): string;
}

/** What a cache written by this version holds: a cache written before its file ran holds its top level only. */
const CACHE_CONTENT = 'after-run';
/** Cache files of the scheme before this one (one name per Node version, path and mtime, never pruned). */
const UNPRUNED_SCHEME = /^[0-9a-f]{64}\.bin$/;

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

function cacheDir(): string {
  return join(process.env.KUBEFORGE_CACHE_DIR ?? join(homedir(), '.cache', 'kubeforge'), 'v8');
}

/** `<file digest>-<content digest>.bin`: the first part names the file, to find its stale caches. */
function cacheNameOf(filename: string): { name: string; filePrefix: string } {
  const { size, mtimeMs } = statSync(filename);
  const filePrefix = `${digest(filename)}-`;
  return {
    name: `${filePrefix}${digest(`${process.version}\0${size}\0${mtimeMs}\0${CACHE_CONTENT}`)}.bin`,
    filePrefix,
  };
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The file's text as Node's loader reads it (UTF-8, without a byte order mark); an ASCII file (such
 * as TypeScript's bundle) decoded as Latin-1, the same text, which skips UTF-8's validation: ~15 ms
 * of a run for TypeScript's 9 MB.
 */
function readSource(filename: string): string {
  const bytes = readFileSync(filename);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** A CommonJS file compiled with its code cache; `saveCodeCache` once it has run. */
export interface CachedCommonJs {
  /** Runs the module's code as Node's loader would, with `module` as its module object. */
  run(module: { exports: unknown }, require: NodeJS.Require): void;
  /**
   * Writes the code cache if none, or a rejected one, was read. Called after the file's code ran,
   * the cache also holds the functions V8 compiled lazily on first use, not only the top level.
   */
  saveCodeCache(): void;
}

export function compileWithCodeCache(filename: string): CachedCommonJs {
  const { name, filePrefix } = cacheNameOf(filename);
  const path = join(cacheDir(), name);
  const cachedData = readCache(path);
  const script = new Script((Module as unknown as ModuleInternals).wrap(readSource(filename)), {
    filename,
    cachedData,
  });
  let unsaved = !cachedData || script.cachedDataRejected === true;
  return {
    run(module, require) {
      const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
      wrapper.call(module.exports, module.exports, require, module, filename, dirname(filename));
    },
    saveCodeCache() {
      if (!unsaved) return;
      unsaved = false;
      try {
        mkdirSync(dirname(path), { recursive: true });
        const partial = `${path}.${process.pid}.tmp`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, path);
        for (const other of readdirSync(dirname(path))) {
          if (other !== name && (other.startsWith(filePrefix) || UNPRUNED_SCHEME.test(other))) {
            rmSync(join(dirname(path), other), { force: true });
          }
        }
      } catch {
        // A read-only home only costs the next run its cache.
      }
    },
  };
}

/** The digest of the files a bundle was built from, as scripts/bundle-manifests.js records it. */
export function digestOfInputs(dir: string, inputs: string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) hash.update(readFileSync(join(dir, input))).update('\0');
  return hash.digest('hex');
}

/**
 * The exports of a bundle built by scripts/bundle-manifests.js, compiled with its code cache; none
 * when it is missing or stale: the dist/ files it was built from (listed beside it, in
 * `<name>.json`, with their digest) are not those it was built from any more, as after a `tsc`
 * without the bundling step. Contents, not mtimes: npm does not keep mtimes when it installs.
 */
export function loadFreshBundle(path: string): { exports: Record<string, unknown>; saveCodeCache(): void } | undefined {
  let compiled: CachedCommonJs;
  let bundle: string;
  try {
    // Where it really is, as Node's loader takes modules (a bin is often reached through a symlink).
    bundle = realpathSync(path);
    const built = JSON.parse(readFileSync(bundle.replace(/\.cjs$/, '.json'), 'utf8')) as {
      inputs: string[];
      digest: string;
    };
    if (digestOfInputs(dirname(bundle), built.inputs) !== built.digest) return undefined;
    compiled = compileWithCodeCache(bundle);
  } catch {
    return undefined;
  }
  // The bundle's `import()`s of packages and of dist/ modules it leaves out (absolute URLs): a `vm`
  // script has none of its own in Node 20 without an experimental flag.
  const module = { exports: {} as Record<string, unknown>, importFromDist: (specifier: string) => import(specifier) };
  compiled.run(module, createRequire(bundle));
  return { exports: module.exports, saveCodeCache: compiled.saveCodeCache };
}
