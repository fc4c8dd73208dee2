/**
 * `startControlPlane({ faults: true })`: the control plane behind a fault proxy. Its RestConfig and
 * kubeconfig (and the file at `kubeconfigPath`) point at the proxy, which serves with the control
 * plane's own certificate when there is one; the apiserver's own stay available.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertifiedKey } from '../runtime/serving/index.js';
import type { ControlPlane, ControlPlaneOptions, FaultyControlPlane } from './control-plane-types.js';
import { startFaultProxy } from './faults/index.js';

export async function withFaults(
  plane: ControlPlane,
  options: ControlPlaneOptions['faults'],
  serving?: CertifiedKey,
): Promise<FaultyControlPlane> {
  const seed = typeof options === 'object' ? options.seed : undefined;
  try {
    const proxy = await startFaultProxy({
      upstream: plane.restConfig,
      seed,
      serving: serving && plane.restConfig.caData ? { ...serving, caData: plane.restConfig.caData } : undefined,
    });
    const kubeconfigPath = join(plane.runDir, 'kubeconfig-faults');
    writeFileSync(kubeconfigPath, proxy.kubeconfig, { mode: 0o600 });
    return {
      ...plane,
      restConfig: proxy.restConfig,
      kubeconfig: proxy.kubeconfig,
      kubeconfigPath,
      faults: proxy.faults,
      apiServer: { restConfig: plane.restConfig, kubeconfig: plane.kubeconfig, kubeconfigPath: plane.kubeconfigPath },
      async stop() {
        await proxy.close();
        await plane.stop();
      },
    };
  } catch (error) {
    await plane.stop();
    throw error;
  }
}
