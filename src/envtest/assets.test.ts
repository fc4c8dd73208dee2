import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binaryVersion, findAssets, installDirFor, missingBinaries, normalizeVersion } from './assets.js';

function fakeBinaries(dir: string, names: string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    writeFileSync(join(dir, name), `#!/bin/sh\necho "${name} version fake"\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('finding envtest binaries', () => {
  const saved = { ...process.env };
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kubeforge-assets-test-'));
    process.env.XDG_CACHE_HOME = join(root, 'cache');
    delete process.env.KUBEFORGE_ASSETS;
    delete process.env.KUBEBUILDER_ASSETS;
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(root, { recursive: true, force: true });
  });

  it('finds nothing in an empty cache', () => {
    expect(findAssets()).toBeUndefined();
  });

  it('prefers KUBEFORGE_ASSETS, then KUBEBUILDER_ASSETS, then the cache', () => {
    const cached = fakeBinaries(join(root, 'cache', 'kubeforge', 'envtest', '1.36.3', 'bin'), [
      'etcd',
      'kube-apiserver',
    ]);
    expect(findAssets()).toBe(cached);
    process.env.KUBEBUILDER_ASSETS = fakeBinaries(join(root, 'kubebuilder'), ['etcd', 'kube-apiserver']);
    expect(findAssets()).toBe(process.env.KUBEBUILDER_ASSETS);
    process.env.KUBEFORGE_ASSETS = fakeBinaries(join(root, 'kubeforge'), ['etcd', 'kube-apiserver']);
    expect(findAssets()).toBe(process.env.KUBEFORGE_ASSETS);
  });

  it('skips a directory without kube-controller-manager when the controller manager is required', () => {
    process.env.KUBEBUILDER_ASSETS = fakeBinaries(join(root, 'kubebuilder'), ['etcd', 'kube-apiserver']);
    const cached = fakeBinaries(join(root, 'cache', 'kubeforge', 'envtest', '1.37.2', 'bin'), [
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
    ]);
    expect(findAssets({ controllerManager: true })).toBe(cached);
    expect(missingBinaries(process.env.KUBEBUILDER_ASSETS, ['etcd', 'kube-controller-manager'])).toEqual([
      'kube-controller-manager',
    ]);
  });

  it('looks only at the asked version in the cache', () => {
    fakeBinaries(join(root, 'cache', 'kubeforge', 'envtest', '1.37.2', 'bin'), ['etcd', 'kube-apiserver']);
    expect(findAssets({ k8sVersion: 'v1.35.4' })).toBeUndefined();
    expect(installDirFor('1.35.4')).toBe(join(root, 'cache', 'kubeforge', 'envtest', '1.35.4', 'bin'));
  });

  it('rejects versions that are not major.minor.patch', () => {
    expect(normalizeVersion('v1.37.2')).toBe('1.37.2');
    expect(() => normalizeVersion('1.37')).toThrow('Kubernetes version "1.37" must look like 1.37.2');
  });

  it('verifies a binary by running it with --version', () => {
    const dir = fakeBinaries(join(root, 'bin'), ['etcd']);
    expect(binaryVersion(dir, 'etcd')).toBe('etcd version fake');
    writeFileSync(join(dir, 'kube-apiserver'), '#!/bin/sh\necho broken >&2\nexit 3\n');
    chmodSync(join(dir, 'kube-apiserver'), 0o755);
    expect(() => binaryVersion(dir, 'kube-apiserver')).toThrow(/kube-apiserver --version failed: broken/);
  });
});
