/**
 * Where control-plane binaries live and how to tell that a directory has them. Lookup order:
 * `KUBEFORGE_ASSETS`, `KUBEBUILDER_ASSETS` (so kubebuilder users reuse theirs), then the cache
 * `${XDG_CACHE_HOME:-~/.cache}/kubeforge/envtest/<version>/bin/`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Tried in this order when no version is asked for (newest first). */
export const KUBERNETES_VERSIONS = ['1.37.2', '1.36.3', '1.35.4'] as const;
export const DEFAULT_KUBERNETES_VERSION = KUBERNETES_VERSIONS[0];
export const ETCD_VERSION = '3.7.3';

export type BinaryName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager';

export interface AssetRequirements {
  /** A `major.minor.patch` Kubernetes version; any cached version when absent. */
  k8sVersion?: string;
  /** Also require `kube-controller-manager` (not part of the official envtest tarballs). */
  controllerManager?: boolean;
}

export function requiredBinaries(requirements: AssetRequirements = {}): BinaryName[] {
  return requirements.controllerManager
    ? ['etcd', 'kube-apiserver', 'kube-controller-manager']
    : ['etcd', 'kube-apiserver'];
}

/** `~/.cache/kubeforge/<sub>` (or under `$XDG_CACHE_HOME`): where kubeforge keeps what it builds. */
export function kubeforgeCacheDir(sub: string): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kubeforge', sub);
}

/** `~/.cache/kubeforge/envtest` (or under `$XDG_CACHE_HOME`). */
export function cacheRoot(): string {
  return kubeforgeCacheDir('envtest');
}

/** Where `setup` installs binaries of `version`: `$KUBEFORGE_ASSETS` when set, else the cache. */
export function installDirFor(version: string): string {
  return process.env.KUBEFORGE_ASSETS || join(cacheRoot(), version, 'bin');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function missingBinaries(dir: string, names: BinaryName[]): BinaryName[] {
  return names.filter((name) => !isExecutable(join(dir, name)));
}

/** Normalises 'v1.37.2' and '1.37.2' to '1.37.2'. */
export function normalizeVersion(version: string): string {
  const trimmed = version.trim().replace(/^v/, '');
  if (!/^\d+\.\d+\.\d+$/.test(trimmed)) throw new Error(`Kubernetes version "${version}" must look like 1.37.2`);
  return trimmed;
}

function cachedVersions(): string[] {
  const root = cacheRoot();
  if (!existsSync(root)) return [];
  const byNewest = (a: string, b: string) => b.localeCompare(a, undefined, { numeric: true });
  return readdirSync(root)
    .filter((name) => /^\d+\.\d+\.\d+$/.test(name))
    .sort(byNewest);
}

/** Every directory looked at, in order, with a label for error messages. */
export function candidateDirs(requirements: AssetRequirements = {}): { label: string; dir: string }[] {
  const candidates: { label: string; dir: string }[] = [];
  for (const variable of ['KUBEFORGE_ASSETS', 'KUBEBUILDER_ASSETS'] as const) {
    const dir = process.env[variable];
    if (dir) candidates.push({ label: variable, dir });
  }
  const versions = requirements.k8sVersion
    ? [normalizeVersion(requirements.k8sVersion)]
    : [...new Set([...KUBERNETES_VERSIONS, ...cachedVersions()])];
  for (const version of versions)
    candidates.push({ label: `cache (${version})`, dir: join(cacheRoot(), version, 'bin') });
  return candidates;
}

/** "KUBEBUILDER_ASSETS: /x; cache (1.37.2): /y; …" — every place looked at, for error messages. */
export function describeCandidates(requirements: AssetRequirements = {}): string {
  return candidateDirs(requirements)
    .map(({ label, dir }) => `${label}: ${dir}`)
    .join('; ');
}

/** The first directory holding every required binary, or `undefined`. */
export function findAssets(requirements: AssetRequirements = {}): string | undefined {
  const names = requiredBinaries(requirements);
  return candidateDirs(requirements).find(({ dir }) => missingBinaries(dir, names).length === 0)?.dir;
}

/** Runs `<binary> --version`; throws with its output when the binary does not run. */
export function binaryVersion(dir: string, name: BinaryName): string {
  const result = spawnSync(join(dir, name), ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.error || result.status !== 0) {
    throw new Error(
      `${join(dir, name)} --version failed: ${result.error?.message ?? (result.stderr || result.stdout).trim()}`,
    );
  }
  return result.stdout.trim().split('\n')[0];
}
