/**
 * On a machine where the test tools are missing and Go is not there to build them, `npm test`
 * fails at once with one message naming each missing piece and how to provide it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pathWithoutGo } from './path-without-go.js';
import { provisionTestTools } from './provision.js';

describe('test tool provisioning without Go', () => {
  const cacheHome = mkdtempSync(join(tmpdir(), 'kubeforge-provision-'));
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(cacheHome, { recursive: true, force: true });
  });

  it('fails before building anything, naming every missing tool and its environment variable', async () => {
    vi.stubEnv('PATH', pathWithoutGo());
    vi.stubEnv('XDG_CACHE_HOME', cacheHome);
    for (const variable of ['KUBEBUILDER_ASSETS', 'KUBEFORGE_ASSETS', 'KUBEFORGE_HELM', 'KUBEFORGE_CONTROLLER_GEN'])
      vi.stubEnv(variable, '');
    const progress: string[] = [];
    const error = await provisionTestTools((line) => progress.push(line)).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error?.message.split('\n')).toEqual([
      'npm test needs tools that are not on this machine, and `go` (to build them) was not found on PATH:',
      '  - etcd, kube-apiserver and kube-controller-manager: set KUBEBUILDER_ASSETS (or KUBEFORGE_ASSETS) to a directory holding them, or install Go >= 1.26 to build them (~10 minutes, ~1 GB of modules)',
      '  - helm v3.19.0: set KUBEFORGE_HELM to an existing binary, or install Go >= 1.26 to build it (`go install helm.sh/helm/v3/cmd/helm@v3.19.0`)',
      '  - controller-gen v0.23.0: set KUBEFORGE_CONTROLLER_GEN to an existing binary, or install Go >= 1.26 to build it (`go install sigs.k8s.io/controller-tools/cmd/controller-gen@v0.23.0`)',
    ]);
    expect(progress).toEqual([]);
  });
});
