/**
 * Makes the control-plane binaries available, in this order: existing assets (env or cache) →
 * the official envtest release download → a build from Go modules (newest Kubernetes version
 * that resolves) → an error saying exactly what to install or set. Holds a lock file so
 * concurrent setups wait for each other, and runs every binary with `--version` before use.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvtestError } from '../errors.js';
import {
  binaryVersion,
  cacheRoot,
  describeCandidates,
  findAssets,
  installDirFor,
  KUBERNETES_VERSIONS,
  missingBinaries,
  normalizeVersion,
  requiredBinaries,
  type AssetRequirements,
  type BinaryName,
} from './assets.js';
import { downloadRelease, fetchReleaseIndex, ReleaseNotPublishedError, type ReleaseIndex } from './download.js';
import { buildWithGo, goVersion } from './go-build.js';
import { withLockFile } from './lock.js';

export interface EnsureAssetsOptions extends AssetRequirements {
  /** Receives progress lines prefixed with the elapsed time ("[1m05s] go build kube-apiserver"). */
  onProgress?: (line: string) => void;
}

function elapsedSince(started: number): string {
  const seconds = Math.round((Date.now() - started) / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

function verify(dir: string, binaries: BinaryName[]): string[] {
  return binaries.map((name) => `${name}: ${binaryVersion(dir, name)}`);
}

function recordProvenance(dir: string, k8sVersion: string, how: string): void {
  writeFileSync(
    join(dir, '..', 'provenance.json'),
    JSON.stringify({ k8sVersion, how, at: new Date().toISOString() }, null, 2) + '\n',
  );
}

type Report = (message: string) => void;

/** Tries the official tarballs, newest version first; moves on only when a version is not published. */
async function tryDownload(
  versions: string[],
  binaries: BinaryName[],
  report: Report,
  failures: string[],
): Promise<string | undefined> {
  let index: ReleaseIndex;
  try {
    report('reading the official envtest release index');
    index = await fetchReleaseIndex();
  } catch (error) {
    failures.push((error as Error).message);
    report(`download failed: ${(error as Error).message}`);
    return undefined;
  }
  for (const version of versions) {
    const dir = installDirFor(version);
    try {
      report(`downloading the official envtest ${version} release`);
      await downloadRelease(index, version, binaries, dir);
      for (const line of verify(dir, binaries)) report(`verified ${line}`);
      if (!process.env.KUBEFORGE_ASSETS) recordProvenance(dir, version, 'download');
      return dir;
    } catch (error) {
      failures.push((error as Error).message);
      report(`download failed: ${(error as Error).message}`);
      if (!(error instanceof ReleaseNotPublishedError)) return undefined;
    }
  }
  return undefined;
}

/** Builds the missing binaries from Go modules, newest version that resolves first. */
async function tryBuild(
  versions: string[],
  binaries: BinaryName[],
  report: Report,
  failures: string[],
): Promise<string | undefined> {
  const go = goVersion();
  if (!go) {
    failures.push('`go` was not found on PATH, so the binaries cannot be built from Go modules');
    return undefined;
  }
  for (const version of versions) {
    const dir = installDirFor(version);
    const missing = missingBinaries(dir, binaries);
    report(`building ${missing.join(', ')} for Kubernetes ${version} with ${go} into ${dir}`);
    try {
      await buildWithGo({ k8sVersion: version, binaries: missing, installDir: dir, progress: report });
      for (const line of verify(dir, binaries)) report(`verified ${line}`);
      if (!process.env.KUBEFORGE_ASSETS) recordProvenance(dir, version, `built from Go modules with ${go}`);
      report(`envtest binaries for Kubernetes ${version} ready in ${dir}`);
      return dir;
    } catch (error) {
      failures.push(`build of ${version}: ${(error as Error).message}`);
      report(
        `build of Kubernetes ${version} failed; ${version === versions.at(-1) ? 'giving up' : 'trying an older version'}`,
      );
    }
  }
  return undefined;
}

function nothingAvailable(options: EnsureAssetsOptions, binaries: BinaryName[], failures: string[]): EnvtestError {
  return new EnvtestError(
    [
      `no envtest binaries (${binaries.join(', ')}) are available and none could be fetched or built.`,
      `  looked in: ${describeCandidates(options)}`,
      ...failures.map((failure) => `  - ${failure.split('\n').join('\n    ')}`),
    ].join('\n'),
    {
      hint:
        'install Go >= 1.26 (https://go.dev/dl/) so `kubeforge envtest setup` can build them from Go modules (a cold build takes ~10 minutes and ~1 GB of modules), ' +
        'or set KUBEBUILDER_ASSETS (or KUBEFORGE_ASSETS) to a directory containing etcd, kube-apiserver' +
        (options.controllerManager ? ' and kube-controller-manager' : '') +
        ' (e.g. from `setup-envtest use -p path`)',
    },
  );
}

/** Returns the directory holding the required binaries, fetching or building them when needed. */
export async function ensureAssets(options: EnsureAssetsOptions = {}): Promise<string> {
  const started = Date.now();
  const report: Report = (message) => options.onProgress?.(`[${elapsedSince(started)}] ${message}`);
  const binaries = requiredBinaries(options);
  const existing = findAssets(options);
  if (existing) {
    report(`using envtest binaries in ${existing}`);
    return existing;
  }
  const lockFile = join(cacheRoot(), 'setup.lock');
  return withLockFile(
    lockFile,
    async () => {
      const afterWait = findAssets(options);
      if (afterWait) return afterWait;
      const versions = options.k8sVersion ? [normalizeVersion(options.k8sVersion)] : [...KUBERNETES_VERSIONS];
      const failures: string[] = [];
      // The official tarballs have no kube-controller-manager: only a build can provide it.
      const dir =
        (options.controllerManager ? undefined : await tryDownload(versions, binaries, report, failures)) ??
        (await tryBuild(versions, binaries, report, failures));
      if (dir) return dir;
      throw nothingAvailable(options, binaries, failures);
    },
    (pid) => report(`waiting for another envtest setup (pid ${pid}) holding ${lockFile}`),
  );
}
