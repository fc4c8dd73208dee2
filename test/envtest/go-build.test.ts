import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryVersion, ETCD_VERSION } from '../../src/envtest/assets.js';
import { buildWithGo, goVersion } from '../../src/envtest/go-build.js';

/**
 * Runs the real build recipe for etcd (the smallest binary) through the Go module proxy and build
 * cache. `kubeforge envtest setup` has built everything just before the tests in CI, so the caches
 * are warm and this takes seconds; kube-apiserver uses the same steps with the Kubernetes module.
 */
describe.skipIf(goVersion() === undefined)('building envtest binaries from Go modules', () => {
  const installDir = mkdtempSync(join(tmpdir(), 'kubeforge-go-build-test-'));
  afterAll(() => rmSync(installDir, { recursive: true, force: true }));

  it('builds a working etcd from its own wrapper module, reporting numbered steps', async () => {
    const progress: string[] = [];
    await buildWithGo({
      k8sVersion: '1.37.2',
      binaries: ['etcd'],
      installDir,
      progress: (line) => progress.push(line),
    });

    expect(binaryVersion(installDir, 'etcd')).toBe(`etcd Version: ${ETCD_VERSION}`);
    expect(readdirSync(installDir)).toEqual(['etcd']);
    expect(progress[0]).toBe(`build step 1/1: building etcd v${ETCD_VERSION} from its own module`);
  });

  it('says which Kubernetes version is unavailable', async () => {
    await expect(
      buildWithGo({ k8sVersion: '1.99.0', binaries: ['kube-apiserver'], installDir, progress: () => undefined }),
    ).rejects.toThrow('k8s.io/kubernetes@v1.99.0 is not available');
  });
});
