/**
 * The apiserver `kubeforge manifests --check` talks to: the kubeconfig's (`--kubeconfig`, else
 * `$KUBECONFIG`, else in-cluster or `~/.kube/config`), or — with `--envtest`, or when there is no
 * kubeconfig at all — a local envtest control plane of the Kubernetes version the CRDs target,
 * started for the check and stopped after it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { DirectClient } from '../runtime/index.js';
import type { CliIO } from './io.js';

export interface CheckTargetFlags {
  kubeconfig?: string;
  context?: string;
  envtest?: boolean;
}

export interface CheckTarget {
  client: DirectClient;
  /** What the report names: `https://… (kubeconfig ~/.kube/config)` or `a local envtest control plane (1.37.2)`. */
  label: string;
  /**
   * On a control plane started for the check: installs CRDs for real (YAML texts), so that the
   * samples can be checked against them. Absent on the user's cluster, where nothing is written.
   */
  install?(crdTexts: string[]): Promise<void>;
  close(): Promise<void>;
}

export const FIELD_MANAGER = 'kubeforge-check';

const hasKubeconfig = (flags: CheckTargetFlags) =>
  flags.kubeconfig !== undefined ||
  Boolean(process.env.KUBECONFIG) ||
  Boolean(process.env.KUBERNETES_SERVICE_HOST) ||
  existsSync(join(homedir(), '.kube', 'config'));

/** Connects to the target; `kubernetesVersion` is the envtest version when one is started. */
export async function connectCheckTarget(
  flags: CheckTargetFlags,
  kubernetesVersion: string,
  io: CliIO,
): Promise<CheckTarget> {
  const { loadRestConfig, newClient } = await import('../runtime/index.js');
  if (!flags.envtest && hasKubeconfig(flags)) {
    let restConfig;
    try {
      restConfig = loadRestConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    } catch (error) {
      throw new UserError(`--check cannot reach a cluster: ${(error as Error).message}`, {
        hint: 'pass --kubeconfig <file>, or --envtest to check against a local control plane',
      });
    }
    const client = newClient(restConfig, { fieldManager: FIELD_MANAGER });
    return { client, label: restConfig.server, close: async () => client.close() };
  }
  const { ensureAssets, installCRDs, startControlPlane } = await import('../envtest/index.js');
  io.printError(`starting a local envtest control plane (Kubernetes ${kubernetesVersion}) for the check…`);
  const assetsDir = await ensureAssets({
    k8sVersion: kubernetesVersion,
    onProgress: (line) => io.printError(line),
  });
  const controlPlane = await startControlPlane({ assetsDir });
  const client = newClient(controlPlane.restConfig, { fieldManager: FIELD_MANAGER });
  return {
    client,
    label: `a local envtest control plane (Kubernetes ${kubernetesVersion})`,
    install: async (crdTexts) => {
      const dir = await mkdtemp(join(tmpdir(), 'kubeforge-check-crds-'));
      try {
        await Promise.all(crdTexts.map((text, i) => writeFile(join(dir, `crd-${i}.yaml`), text)));
        await installCRDs(controlPlane.restConfig, [dir]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    close: async () => {
      client.close();
      await controlPlane.stop();
    },
  };
}
