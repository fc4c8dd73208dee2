import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { ensureAssets } from './ensure-assets.js';
import { withLockFile } from './lock.js';
import { freePort } from './processes.js';

/** The official release asset name for this machine, e.g. envtest-v1.36.3-linux-amd64.tar.gz (Go's arch names). */
function officialTarball(version: string): string {
  const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' };
  return `envtest-v${version}-${process.platform}-${goArch[process.arch]}.tar.gz`;
}

/** A tarball laid out like the official envtest release, with stand-in binaries that answer --version. */
function envtestTarball(root: string): Buffer {
  const dir = join(root, 'tarball', 'controller-tools', 'envtest');
  mkdirSync(dir, { recursive: true });
  for (const name of ['etcd', 'kube-apiserver', 'kubectl']) {
    writeFileSync(join(dir, name), `#!/bin/sh\necho "${name} downloaded"\n`);
    chmodSync(join(dir, name), 0o755);
  }
  const file = join(root, 'envtest.tar.gz');
  spawnSync('tar', ['-czf', file, '-C', join(root, 'tarball'), 'controller-tools']);
  return readFileSync(file);
}

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}` };
}

/**
 * A local mirror of the release index and tarballs. `published` lists the versions in the index;
 * `hashOf` lets a test publish a wrong checksum.
 */
async function serveReleases(
  tarball: Buffer,
  published: string[],
  hashOf = (body: Buffer) => createHash('sha512').update(body).digest('hex'),
) {
  const requested: string[] = [];
  const { server, url } = await serve((req, res) => {
    requested.push(req.url ?? '');
    if (req.url === '/envtest-releases.yaml') {
      const releases = Object.fromEntries(
        published.map((version) => [
          `v${version}`,
          { [officialTarball(version)]: { hash: hashOf(tarball), selfLink: `${url}/${officialTarball(version)}` } },
        ]),
      );
      res.end(stringify({ releases }));
    } else res.end(tarball);
  });
  return { server, requested, indexUrl: `${url}/envtest-releases.yaml` };
}

describe('ensureAssets', () => {
  const saved = { ...process.env };
  let root: string;
  let server: Server | undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kubeforge-ensure-test-'));
    process.env.XDG_CACHE_HOME = join(root, 'cache');
    delete process.env.KUBEFORGE_ASSETS;
    delete process.env.KUBEBUILDER_ASSETS;
  });
  afterEach(() => {
    process.env = { ...saved };
    server?.closeAllConnections();
    server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('downloads the release tarball the index lists, checks it, verifies the binaries and records how', async () => {
    const releases = await serveReleases(envtestTarball(root), ['1.36.3']);
    ({ server, indexUrl: process.env.KUBEFORGE_ENVTEST_INDEX_URL } = releases);
    const progress: string[] = [];

    const dir = await ensureAssets({ k8sVersion: '1.36.3', onProgress: (line) => progress.push(line) });

    expect(dir).toBe(join(root, 'cache', 'kubeforge', 'envtest', '1.36.3', 'bin'));
    expect(releases.requested).toEqual(['/envtest-releases.yaml', `/${officialTarball('1.36.3')}`]);
    expect(existsSync(join(dir, 'kubectl'))).toBe(false);
    expect(progress).toContainEqual(
      expect.stringMatching(/^\[\d+s\] verified kube-apiserver: kube-apiserver downloaded$/),
    );
    expect(JSON.parse(readFileSync(join(dir, '..', 'provenance.json'), 'utf8'))).toMatchObject({
      k8sVersion: '1.36.3',
      how: 'download',
    });
    expect(await ensureAssets({ k8sVersion: '1.36.3' })).toBe(dir);
    expect(releases.requested).toHaveLength(2);
  });

  it('falls back to an older release when the newest is not published', async () => {
    const releases = await serveReleases(envtestTarball(root), ['1.36.3']);
    ({ server, indexUrl: process.env.KUBEFORGE_ENVTEST_INDEX_URL } = releases);
    expect(await ensureAssets()).toBe(join(root, 'cache', 'kubeforge', 'envtest', '1.36.3', 'bin'));
  });

  it('rejects a tarball whose SHA-512 differs from the index and installs nothing', async () => {
    const releases = await serveReleases(envtestTarball(root), ['1.37.2'], () => 'f'.repeat(128));
    ({ server, indexUrl: process.env.KUBEFORGE_ENVTEST_INDEX_URL } = releases);
    process.env.PATH = '';
    const error = await ensureAssets({ k8sVersion: '1.37.2' }).catch((caught: Error) => caught);
    expect(String(error)).toContain(`${officialTarball('1.37.2')} does not match the SHA-512 in the release index`);
    expect(existsSync(join(root, 'cache', 'kubeforge', 'envtest', '1.37.2', 'bin', 'etcd'))).toBe(false);
  });

  it('gives up on a download that gets no answer instead of hanging', async () => {
    const silent = await serve(() => undefined);
    server = silent.server;
    process.env.KUBEFORGE_ENVTEST_INDEX_URL = `${silent.url}/envtest-releases.yaml`;
    process.env.PATH = '';
    const error = await ensureAssets({ k8sVersion: '1.37.2' }).catch((caught: Error) => caught);
    expect(String(error)).toMatch(/download of .* failed: no response within 5s/);
  }, 20_000);

  it('waits for a concurrent setup holding the lock, then uses what it installed', async () => {
    process.env.KUBEFORGE_ENVTEST_INDEX_URL = `http://127.0.0.1:${await freePort()}/envtest-releases.yaml`;
    const dir = join(root, 'cache', 'kubeforge', 'envtest', '1.37.2', 'bin');
    const waits: string[] = [];
    let releaseLock!: () => void;
    const otherSetup = withLockFile(
      join(root, 'cache', 'kubeforge', 'envtest', 'setup.lock'),
      () => new Promise<void>((resolve) => (releaseLock = resolve)),
    );
    const setup = ensureAssets({ k8sVersion: '1.37.2', onProgress: (line) => waits.push(line) });
    const waiting = `waiting for another envtest setup (pid ${process.pid})`;
    await vi.waitFor(() => expect(waits.some((line) => line.includes(waiting))).toBe(true), { timeout: 10_000 });
    mkdirSync(dir, { recursive: true });
    for (const name of ['etcd', 'kube-apiserver']) {
      writeFileSync(join(dir, name), '#!/bin/sh\necho ok\n');
      chmodSync(join(dir, name), 0o755);
    }
    releaseLock();
    await otherSetup;
    expect(await setup).toBe(dir);
  }, 30_000);
});
