/**
 * Vitest global setup of the `integration` project: makes sure the envtest binaries exist
 * (building them from Go modules on a fresh machine), starts ONE control plane with
 * kube-controller-manager for the whole run, hands its connection details to the test files
 * (`inject('envtest')`, wrapped by `./cluster.ts`), and stops it on teardown.
 */
import type { TestProject } from 'vitest/node';
import type { RestConfig } from '../../src/runtime/types.js';
import { ensureAssets, startControlPlane } from '../../src/envtest/index.js';

export interface SharedControlPlane {
  kubeconfigPath: string;
  restConfig: RestConfig;
  assetsDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    envtest: SharedControlPlane;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const assetsDir = await ensureAssets({
    controllerManager: true,
    onProgress: (line) => console.log(`[envtest] ${line}`),
  });
  const started = Date.now();
  const controlPlane = await startControlPlane({ assetsDir, controllerManager: true });
  console.log(
    `[envtest] control plane ready in ${Date.now() - started} ms at ${controlPlane.restConfig.server} (assets ${assetsDir})`,
  );
  project.provide('envtest', {
    kubeconfigPath: controlPlane.kubeconfigPath,
    restConfig: controlPlane.restConfig,
    assetsDir,
  });
  return () => controlPlane.stop();
}
