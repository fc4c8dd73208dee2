/**
 * Go command-line tools that tests and benchmarks run beside the control plane (helm for the chart
 * tests, controller-gen for the parity suite): found through an environment variable, the kubeforge
 * cache or PATH, or built once with `go install` through the module proxy into
 * `~/.cache/kubeforge/tools` under a lock, so parallel test files and runs never build twice.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { kubeforgeCacheDir } from './assets.js';
import { goVersion, runGo, type ProgressReporter } from './go-build.js';
import { withLockFile } from './lock.js';

export interface GoToolSpec {
  /** The binary's name (`helm`). */
  name: string;
  /** The `go install` package path (`helm.sh/helm/v3/cmd/helm`). */
  goPackage: string;
  /** The module version to build (`v3.19.0`). */
  version: string;
  /** Arguments that make the binary print its version (`['version', '--short']`). */
  versionArgs: string[];
  /** A string its version output must contain to be used (`v3.`); defaults to `version`. */
  acceptVersion?: string;
  /** The environment variable that names an existing binary instead (`KUBEFORGE_HELM`). */
  envVar: string;
}

export type GoToolSource = 'env' | 'cache' | 'PATH' | 'built';

export interface ResolvedGoTool {
  path: string;
  source: GoToolSource;
  version: string;
}

/** `~/.cache/kubeforge/tools` (or under `$XDG_CACHE_HOME`). */
export function goToolsDir(): string {
  return kubeforgeCacheDir('tools');
}

/** The binary's version line when it runs and matches the spec, else `undefined`. */
function acceptedVersion(spec: GoToolSpec, path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const result = spawnSync(path, spec.versionArgs, { encoding: 'utf8', timeout: 30_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return result.status === 0 && output.includes(spec.acceptVersion ?? spec.version) ? output : undefined;
}

/** The tool from its env var, the cache or PATH, in that order; `undefined` when none is usable. */
export function findGoTool(spec: GoToolSpec): ResolvedGoTool | undefined {
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    const version = acceptedVersion(spec, fromEnv);
    if (!version)
      throw new Error(
        `${spec.envVar}=${fromEnv} is not a usable ${spec.name} (\`${spec.name} ${spec.versionArgs.join(' ')}\` must run and mention ${spec.acceptVersion ?? spec.version})`,
      );
    return { path: fromEnv, source: 'env', version };
  }
  const candidates: { path: string; source: GoToolSource }[] = [
    { path: join(goToolsDir(), spec.name), source: 'cache' },
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => ({ path: join(dir, spec.name), source: 'PATH' as const })),
  ];
  for (const candidate of candidates) {
    const version = acceptedVersion(spec, candidate.path);
    if (version) return { ...candidate, version };
  }
  return undefined;
}

/** What to install or set when a tool is missing and there is no Go to build it. */
export function goToolRemedy(spec: GoToolSpec): string {
  return `${spec.name} ${spec.version}: set ${spec.envVar} to an existing binary, or install Go >= 1.26 to build it (\`go install ${spec.goPackage}@${spec.version}\`)`;
}

/** Finds the tool, or builds it from Go modules into the cache (once, under a lock). */
export async function ensureGoTool(spec: GoToolSpec, progress: ProgressReporter = () => {}): Promise<ResolvedGoTool> {
  const found = findGoTool(spec);
  if (found) return found;
  const dir = goToolsDir();
  return withLockFile(
    join(dir, `${spec.name}.lock`),
    async () => {
      const builtMeanwhile = findGoTool(spec);
      if (builtMeanwhile) return builtMeanwhile;
      const go = goVersion();
      if (!go) throw new Error(`${spec.name} is missing and \`go\` was not found on PATH. ${goToolRemedy(spec)}`);
      const started = Date.now();
      progress(`building ${spec.name} ${spec.version} with ${go} into ${dir} (minutes on a cold module cache)`);
      const work = mkdtempSync(join(dir, `.${spec.name}-build-`));
      try {
        await runGo(['install', `${spec.goPackage}@${spec.version}`], work, `building ${spec.name}`, progress, {
          GOBIN: work,
        });
        renameSync(join(work, spec.name), join(dir, spec.name));
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
      const path = join(dir, spec.name);
      const version = acceptedVersion(spec, path);
      if (!version) throw new Error(`${path} was built but does not report ${spec.acceptVersion ?? spec.version}`);
      progress(`${spec.name} ready in ${Math.round((Date.now() - started) / 1000)}s: ${version}`);
      return { path, source: 'built', version };
    },
    (pid) => progress(`waiting for another build of ${spec.name} (pid ${pid})`),
  );
}
