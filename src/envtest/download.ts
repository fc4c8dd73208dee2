/**
 * Downloads the official envtest release tarball (etcd, kube-apiserver, kubectl; published by
 * kubernetes-sigs/controller-tools) for machines with internet. Fails fast offline: if no
 * response headers arrive within a few seconds the attempt is abandoned, so a machine without a
 * route never hangs here. `KUBEFORGE_ENVTEST_DOWNLOAD_URL` overrides the base URL (mirrors, tests).
 */
import { spawnSync } from 'node:child_process';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  copyFileSync,
  chmodSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { BinaryName } from './assets.js';

const DEFAULT_BASE_URL = 'https://github.com/kubernetes-sigs/controller-tools/releases/download';
const CONNECT_TIMEOUT_MS = 5_000;
const TRANSFER_TIMEOUT_MS = 10 * 60_000;

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' };

export function releaseUrl(k8sVersion: string): string {
  const base = process.env.KUBEFORGE_ENVTEST_DOWNLOAD_URL || DEFAULT_BASE_URL;
  const platform = `${process.platform}-${GO_ARCH[process.arch] ?? process.arch}`;
  return `${base}/envtest-v${k8sVersion}/envtest-v${k8sVersion}-${platform}.tar.gz`;
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

async function fetchWithConnectTimeout(url: string): Promise<Response> {
  const controller = new AbortController();
  const connectTimer = setTimeout(
    () => controller.abort(new Error(`no response within ${CONNECT_TIMEOUT_MS / 1000}s (offline?)`)),
    CONNECT_TIMEOUT_MS,
  );
  try {
    return await fetch(url, {
      signal: AbortSignal.any([controller.signal, AbortSignal.timeout(TRANSFER_TIMEOUT_MS)]),
      redirect: 'follow',
    });
  } catch (error) {
    const reason =
      controller.signal.reason instanceof Error
        ? controller.signal.reason.message
        : ((error as Error).cause as Error | undefined)?.message;
    throw new Error(`download of ${url} failed: ${reason ?? (error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(connectTimer);
  }
}

/** Downloads and unpacks the release for `k8sVersion`, copying `binaries` into `installDir`. */
export async function downloadRelease(k8sVersion: string, binaries: BinaryName[], installDir: string): Promise<void> {
  const url = releaseUrl(k8sVersion);
  const response = await fetchWithConnectTimeout(url);
  if (!response.ok || !response.body) throw new Error(`download of ${url} failed: HTTP ${response.status}`);
  const work = mkdtempSync(join(tmpdir(), 'kubeforge-envtest-download-'));
  try {
    const tarball = join(work, 'envtest.tar.gz');
    await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), createWriteStream(tarball));
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`unpacking ${url} failed: ${tar.error?.message ?? tar.stderr.trim()}`);
    mkdirSync(installDir, { recursive: true });
    for (const name of binaries) {
      const source = findFile(unpacked, name);
      if (!source) throw new Error(`${url} has no ${name}`);
      const partial = join(installDir, `.${name}.partial`);
      copyFileSync(source, partial);
      chmodSync(partial, 0o755);
      renameSync(partial, join(installDir, name));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
