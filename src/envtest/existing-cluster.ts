/**
 * `useExistingCluster`: envtest against the cluster of `KUBECONFIG` (or ~/.kube/config), as
 * controller-runtime's envtest with `UseExistingCluster` / `USE_EXISTING_CLUSTER=true`. Nothing is
 * started or stopped; CRDs and webhooks are installed into the cluster, and `stop()` removes the
 * webhook configurations again (CRDs stay, as controller-runtime leaves them).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { EnvtestError } from '../errors.js';
import type { RestConfig } from '../runtime/index.js';
import type { ControlPlane, ControlPlaneOptions } from './control-plane-types.js';
import { installCRDDocuments, readCRDs } from './crds.js';
import { installWebhooks, readWebhookConfigurations } from './webhook-install.js';

/** The kubeconfig file `loadRestConfig` reads first: `KUBECONFIG`'s first entry, else ~/.kube/config. */
function kubeconfigFile(): string {
  const first = process.env.KUBECONFIG?.split(delimiter).find(Boolean);
  return first ?? join(homedir(), '.kube', 'config');
}

const noEtcd = (what: string) => () => {
  throw new EnvtestError(`useExistingCluster: ${what} of an existing cluster is not envtest's`);
};

/** The cluster answers a read of the `default` namespace, with every kind of kubeconfig credential (exec plugins too). */
async function checkReachable(restConfig: RestConfig, kubeconfigPath: string): Promise<void> {
  const { newClient, Namespace } = await import('../runtime/index.js');
  const client = newClient(restConfig, { requestTimeoutMs: 10_000, maxRetries: 0 });
  try {
    await client.get(Namespace, { name: 'default' });
  } catch (cause) {
    throw new EnvtestError(
      `useExistingCluster: the cluster at ${restConfig.server} (${kubeconfigPath}) did not answer: ${(cause as Error).message}`,
      { cause },
    );
  } finally {
    client.close();
  }
}

export async function connectExistingCluster(options: ControlPlaneOptions): Promise<ControlPlane> {
  if (options.apiServerExtraArgs?.length)
    throw new EnvtestError('useExistingCluster: apiServerExtraArgs cannot be applied to an existing cluster');
  const crds = await readCRDs(options.crdDirectoryPaths ?? []);
  const webhookConfigurations = options.webhookInstallOptions
    ? await readWebhookConfigurations(options.webhookInstallOptions)
    : [];
  const kubeconfigPath = kubeconfigFile();
  let restConfig;
  let kubeconfig;
  try {
    const { loadRestConfig } = await import('../runtime/client/index.js');
    restConfig = loadRestConfig();
    kubeconfig = readFileSync(kubeconfigPath, 'utf8');
  } catch (cause) {
    throw new EnvtestError(`useExistingCluster: cannot read the kubeconfig: ${(cause as Error).message}`, {
      cause,
      hint: 'set KUBECONFIG to the kubeconfig of the cluster to test against',
    });
  }
  if ((restConfig as { exec?: unknown }).exec && crds.length > 0)
    throw new EnvtestError(
      `useExistingCluster: ${kubeconfigPath} authenticates with an exec credential plugin, which envtest's CRD installer does not run`,
      { hint: 'install the CRDs beforehand (kubectl apply -f config/crd/bases) and leave crdDirectoryPaths out' },
    );
  await checkReachable(restConfig, kubeconfigPath);
  if (crds.length > 0) await installCRDDocuments(restConfig, crds, options.startTimeoutMs ?? 30_000);
  const runDir = mkdtempSync(join(tmpdir(), 'kubeforge-envtest-existing-'));
  const webhooks = options.webhookInstallOptions
    ? await installWebhooks(
        restConfig,
        options.webhookInstallOptions,
        webhookConfigurations,
        join(runDir, 'webhook-certs'),
      ).catch((error: unknown) => {
        rmSync(runDir, { recursive: true, force: true });
        throw error;
      })
    : undefined;
  let stopped = false;
  return {
    kubeconfig,
    kubeconfigPath,
    restConfig,
    runDir,
    existingCluster: true,
    webhookInstallOptions: webhooks?.installed,
    get etcdUrl(): string {
      return noEtcd('etcd')();
    },
    get dataDir(): string {
      return noEtcd("etcd's data directory")();
    },
    pids: () => ({}),
    stopApiServer: async () => noEtcd('stopping the apiserver')(),
    startApiServer: async () => noEtcd('starting the apiserver')(),
    addUser: async () => {
      throw new EnvtestError(
        "addUser: an existing cluster's CA key is not envtest's, so it cannot sign a user's certificate",
        {
          hint: 'test RBAC with a ServiceAccount token there (client.subResource("token")), or on a control plane of your own',
        },
      );
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await webhooks?.uninstall();
      } finally {
        rmSync(runDir, { recursive: true, force: true });
      }
    },
  };
}
