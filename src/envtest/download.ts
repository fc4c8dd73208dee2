/**
 * Downloads the official envtest release tarball (etcd, kube-apiserver, kubectl; published by
 * kubernetes-sigs/controller-tools) for machines with internet, as setup-envtest does: the release
 * index names each tarball's URL and SHA-512, and the download is checked against it. Fails fast
 * offline: if no response headers arrive within a few seconds the attempt is abandoned, so a
 * machine without a route never hangs here. `KUBEFORGE_ENVTEST_INDEX_URL` overrides the index
 * (mirrors, tests).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { parse } from 'yaml';
import type { BinaryName } from './assets.js';

const DEFAULT_INDEX_URL =
  'https://raw.githubusercontent.com/kubernetes-sigs/controller-tools/HEAD/envtest-releases.yaml';
const CONNECT_TIMEOUT_MS = 5_000;
const TRANSFER_TIMEOUT_MS = 10 * 60_000;

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' };

/** `releases: { v1.30.0: { envtest-v1.30.0-linux-amd64.tar.gz: { hash, selfLink } } }` */
export interface ReleaseIndex {
  releases?: Record<string, Record<string, { hash?: string; selfLink?: string } | undefined> | undefined>;
}

/** Thrown when the index has no tarball for a version on this platform (the caller tries an older one). */
export class ReleaseNotPublishedError extends Error {}

export function tarballName(k8sVersion: string): string {
  return `envtest-v${k8sVersion}-${process.platform}-${GO_ARCH[process.arch] ?? process.arch}.tar.gz`;
}

async function fetchWithConnectTimeout(url: string): Promise<Response> {
  const controller = new AbortController();
  const connectTimer = setTimeout(
    () => controller.abort(new Error(`no response within ${CONNECT_TIMEOUT_MS / 1000}s (offline?)`)),
    CONNECT_TIMEOUT_MS,
  );
  try {
    const response = await fetch(url, {
      signal: AbortSignal.any([controller.signal, AbortSignal.timeout(TRANSFER_TIMEOUT_MS)]),
    });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    return response;
  } catch (error) {
    const reason =
      controller.signal.reason instanceof Error
        ? controller.signal.reason.message
        : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
    throw new Error(`download of ${url} failed: ${reason}`, { cause: error });
  } finally {
    clearTimeout(connectTimer);
  }
}

/** The envtest release index (`envtest-releases.yaml`). */
export async function fetchReleaseIndex(): Promise<ReleaseIndex> {
  const response = await fetchWithConnectTimeout(process.env.KUBEFORGE_ENVTEST_INDEX_URL || DEFAULT_INDEX_URL);
  return (parse(await response.text()) ?? {}) as ReleaseIndex;
}

function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return path;
    if (entry.isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Streams `url` into `file`, returning the SHA-512 (hex) of what was written. */
async function downloadTo(url: string, file: string): Promise<string> {
  const response = await fetchWithConnectTimeout(url);
  const hash = createHash('sha512');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), hashing, createWriteStream(file));
  return hash.digest('hex');
}

/**
 * Downloads the tarball the index lists for `k8sVersion`, checks its SHA-512, unpacks it and
 * installs `binaries` into `installDir` (each renamed into place, never half-written).
 */
export async function downloadRelease(
  index: ReleaseIndex,
  k8sVersion: string,
  binaries: BinaryName[],
  installDir: string,
): Promise<void> {
  const name = tarballName(k8sVersion);
  const entry = index.releases?.[`v${k8sVersion}`]?.[name];
  if (!entry?.selfLink || !entry.hash) throw new ReleaseNotPublishedError(`the envtest release index has no ${name}`);
  const work = mkdtempSync(join(tmpdir(), 'kubeforge-envtest-download-'));
  try {
    const tarball = join(work, name);
    const sha512 = await downloadTo(entry.selfLink, tarball);
    if (sha512 !== entry.hash)
      throw new Error(
        `${entry.selfLink} does not match the SHA-512 in the release index (got ${sha512.slice(0, 16)}…)`,
      );
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`unpacking ${name} failed: ${tar.error?.message ?? tar.stderr.trim()}`);
    mkdirSync(installDir, { recursive: true });
    for (const binary of binaries) {
      const source = findFile(unpacked, binary);
      if (!source) throw new Error(`${name} has no ${binary}`);
      const partial = join(installDir, `.${binary}.partial`);
      copyFileSync(source, partial);
      chmodSync(partial, 0o755);
      renameSync(partial, join(installDir, binary));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
