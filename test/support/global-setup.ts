/**
 * Vitest global setup of the `integration` project: provisions the tools the tests run (envtest
 * binaries, helm, controller-gen — built from Go modules on a fresh machine, see `./provision.ts`),
 * starts ONE control plane with
 * kube-controller-manager for the whole run, hands its connection details to the test files
 * (`inject('envtest')`, wrapped by `./cluster.ts`), and stops it on teardown.
 *
 * The MicroService example's CRD is installed at start, before kube-controller-manager runs: its
 * garbage collector learns kinds installed later only on its 30 s discovery resync, so the
 * lifecycle test's wait for the children of a deleted MicroService to be collected took ~40 s.
 * Test files still install the CRDs they use (a replace with the same content here).
 */
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { RestConfig } from '../../src/runtime/types.js';
import { startControlPlane } from '../../src/envtest/index.js';
import { provisionTestTools } from './provision.js';
import { PROVISIONING_SUMMARY_ENV } from './summary-reporter.js';

export interface SharedControlPlane {
  kubeconfigPath: string;
  restConfig: RestConfig;
  assetsDir: string;
  /** Paths of the Go tools provisioned for the run. */
  helm: string;
  controllerGen: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    envtest: SharedControlPlane;
  }
}

const MICROSERVICE_CRDS = fileURLToPath(
  new URL('../../examples/microservice-operator/config/crd/bases', import.meta.url),
);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tools = await provisionTestTools((line) => console.log(line));
  process.env[PROVISIONING_SUMMARY_ENV] = tools.summary;
  const { assetsDir } = tools;
  const started = Date.now();
  const controlPlane = await startControlPlane({
    assetsDir,
    controllerManager: true,
    crdDirectoryPaths: [MICROSERVICE_CRDS],
  });
  console.log(
    `[envtest] control plane ready in ${Date.now() - started} ms at ${controlPlane.restConfig.server} (assets ${assetsDir})`,
  );
  project.provide('envtest', {
    kubeconfigPath: controlPlane.kubeconfigPath,
    restConfig: controlPlane.restConfig,
    assetsDir,
    helm: tools.helm,
    controllerGen: tools.controllerGen,
  });
  return () => controlPlane.stop();
}
