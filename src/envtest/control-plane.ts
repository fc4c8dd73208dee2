/**
 * Starts etcd, kube-apiserver and optionally kube-controller-manager on loopback, the way
 * controller-runtime's envtest does, and hands back a kubeconfig and a `RestConfig`.
 * Restarting only the apiserver keeps etcd, its data and the ports, so clients keep working.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvtestError } from '../errors.js';
import type { RestConfig } from '../runtime/index.js';
import { apiRequest, pollUntil } from './api-requests.js';
import { describeCandidates, findAssets, missingBinaries, requiredBinaries } from './assets.js';
import { createControlPlaneCertificates, type ControlPlaneCertificates } from './certificates.js';
import { apiServerFlags, controllerManagerFlags, etcdFlags, type ControlPlaneFiles } from './component-flags.js';
import { installCRDDocuments, readCRDs } from './crds.js';
import { addUser } from './add-user.js';
import type { ControlPlane, ControlPlaneOptions, FaultyControlPlane } from './control-plane-types.js';
import { connectExistingCluster } from './existing-cluster.js';
import { withFaults } from './fault-control-plane.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { freePort, RunDirectory, type ManagedProcess } from './processes.js';
import { installWebhooks, readWebhookConfigurations } from './webhook-install.js';

export type { ControlPlane, ControlPlaneOptions, FaultyControlPlane } from './control-plane-types.js';

/** `useExistingCluster`, or else the `USE_EXISTING_CLUSTER` environment variable (`true`, any case). */
function useExistingCluster(options: ControlPlaneOptions): boolean {
  return options.useExistingCluster ?? process.env.USE_EXISTING_CLUSTER?.toLowerCase() === 'true';
}

function resolveAssets(options: ControlPlaneOptions): string {
  const requirements = { k8sVersion: options.k8sVersion, controllerManager: options.controllerManager };
  if (options.assetsDir) {
    const missing = missingBinaries(options.assetsDir, requiredBinaries(requirements));
    if (missing.length > 0)
      throw new EnvtestError(`envtest assets directory ${options.assetsDir} has no ${missing.join(', ')}`);
    return options.assetsDir;
  }
  const found = findAssets(requirements);
  if (found) return found;
  throw new EnvtestError(
    `no envtest binaries (${requiredBinaries(requirements).join(', ')}) found (looked in ${describeCandidates(requirements)})`,
    {
      hint: `run \`npx kubeforge envtest setup${options.controllerManager ? ' --with-controller-manager' : ''}\` once, or set KUBEBUILDER_ASSETS to a directory holding them`,
    },
  );
}

function exitedReason(process: ManagedProcess): () => string | undefined {
  return () =>
    process.pid === undefined ? `${process.name} exited; last log lines:\n${process.logTail()}` : undefined;
}

function writeCertificates(certs: ControlPlaneCertificates, files: ControlPlaneFiles): void {
  writeFileSync(files.caCert, certs.ca.cert);
  writeFileSync(files.caKey, certs.ca.key, { mode: 0o600 });
  writeFileSync(files.servingCert, certs.serving.cert);
  writeFileSync(files.servingKey, certs.serving.key, { mode: 0o600 });
  writeFileSync(files.serviceAccountKey, certs.serviceAccount.privateKey, { mode: 0o600 });
  writeFileSync(files.serviceAccountPublicKey, certs.serviceAccount.publicKey);
}

/** Starts a control plane; see `ControlPlaneOptions`. Call `stop()` when done (also done on process exit). */
export async function startControlPlane(
  options: ControlPlaneOptions & { faults: true | { seed?: number } },
): Promise<FaultyControlPlane>;
export async function startControlPlane(options?: ControlPlaneOptions): Promise<ControlPlane>;
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  if (useExistingCluster(options)) {
    const existing = await connectExistingCluster(options);
    return options.faults ? withFaults(existing, options.faults) : existing;
  }
  const assets = resolveAssets(options);
  // Read the CRDs first: a bad path or manifest fails before any process starts.
  const crds = await readCRDs(options.crdDirectoryPaths ?? []);
  const webhookConfigurations = options.webhookInstallOptions
    ? await readWebhookConfigurations(options.webhookInstallOptions)
    : [];
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const run = RunDirectory.create();
  try {
    const [etcdPort, etcdPeerPort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const files: ControlPlaneFiles = {
      caCert: run.file('ca.crt'),
      caKey: run.file('ca.key'),
      servingCert: run.file('apiserver.crt'),
      servingKey: run.file('apiserver.key'),
      serviceAccountKey: run.file('service-account.key'),
      serviceAccountPublicKey: run.file('service-account.pub'),
      kubeconfig: run.file('kubeconfig'),
    };
    const etcd = run.spawn(
      'etcd',
      join(assets, 'etcd'),
      etcdFlags({ dataDir: run.dataDir, clientPort: etcdPort, peerPort: etcdPeerPort }),
    );
    const startEtcd = async () => {
      etcd.start();
      await pollUntil(async () => (await fetch(`http://127.0.0.1:${etcdPort}/health`)).ok, {
        timeoutMs,
        describe: () => 'etcd did not become healthy',
        abortIf: exitedReason(etcd),
      });
    };
    // etcd needs no certificates: it boots while the keys are generated.
    const [certs] = await Promise.all([createControlPlaneCertificates(), startEtcd()]);
    writeCertificates(certs, files);
    const restConfig: RestConfig = {
      server: `https://127.0.0.1:${apiPort}`,
      caData: certs.ca.cert,
      certData: certs.admin.cert,
      keyData: certs.admin.key,
      userAgent: 'kubeforge-envtest',
    };
    const kubeconfig = kubeconfigYaml(restConfig);
    writeFileSync(files.kubeconfig, kubeconfig, { mode: 0o600 });

    const apiServerArgs = [
      ...apiServerFlags({
        port: apiPort,
        etcdPort,
        etcdPrefix: options.etcdPrefix ?? '/registry',
        certDir: run.path,
        files,
      }),
      ...(options.apiServerExtraArgs ?? []),
    ];
    let apiServer = run.spawn('kube-apiserver', join(assets, 'kube-apiserver'), apiServerArgs);
    let controllerManager: ManagedProcess | undefined;

    const startApiServer = async () => {
      apiServer.start();
      const ready = async (path: string) => (await apiRequest(restConfig, 'GET', path, undefined, 5000)).status === 200;
      await pollUntil(async () => (await ready('/readyz')) && (await ready('/api/v1/namespaces/default')), {
        timeoutMs,
        describe: () => `kube-apiserver did not become ready (log: ${apiServer.logFile})`,
        abortIf: exitedReason(apiServer),
      });
    };
    const startControllerManager = async () => {
      const started = run.spawn(
        'kube-controller-manager',
        join(assets, 'kube-controller-manager'),
        controllerManagerFlags(files),
      );
      controllerManager = started;
      started.start();
      // Without a serving port there is no readiness endpoint; the controller manager is up once
      // its root-ca-cert-publisher has written the kube-root-ca.crt ConfigMap.
      await pollUntil(
        async () =>
          (await apiRequest(restConfig, 'GET', '/api/v1/namespaces/default/configmaps/kube-root-ca.crt')).status ===
          200,
        {
          timeoutMs,
          describe: () => `kube-controller-manager did not start (log: ${started.logFile})`,
          abortIf: exitedReason(started),
        },
      );
    };

    await startApiServer();
    // CRDs first: kube-controller-manager's garbage collector then watches their kinds from the
    // start instead of after its next 30 s discovery resync.
    if (crds.length > 0) await installCRDDocuments(restConfig, crds);
    if (options.controllerManager) await startControllerManager();
    const webhooks = options.webhookInstallOptions
      ? await installWebhooks(
          restConfig,
          options.webhookInstallOptions,
          webhookConfigurations,
          run.file('webhook-certs'),
        )
      : undefined;

    let stopped = false;
    const plane: ControlPlane = {
      kubeconfig,
      kubeconfigPath: files.kubeconfig,
      restConfig,
      runDir: run.path,
      dataDir: run.dataDir,
      etcdUrl: `http://127.0.0.1:${etcdPort}`,
      existingCluster: false,
      webhookInstallOptions: webhooks?.installed,
      addUser: (user) => addUser(certs.ca, restConfig, user, run.path),
      pids: () => ({ etcd: etcd.pid, apiServer: apiServer.pid, controllerManager: controllerManager?.pid }),
      async stopApiServer() {
        await Promise.all([controllerManager?.stop(), apiServer.stop()]);
      },
      async startApiServer() {
        if (apiServer.pid !== undefined) return;
        run.forget(apiServer);
        apiServer = run.spawn('kube-apiserver', join(assets, 'kube-apiserver'), apiServerArgs);
        await startApiServer();
        if (controllerManager) {
          run.forget(controllerManager);
          await startControllerManager();
        }
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        // The configurations go away with etcd's data; the certificates with the run directory.
        webhooks?.close();
        await Promise.all([controllerManager?.stop(5000), apiServer.stop(5000)]);
        await etcd.stop(5000);
        run.killAllNow();
      },
    };
    return options.faults ? await withFaults(plane, options.faults, certs.serving) : plane;
  } catch (error) {
    run.killAllNow();
    throw error;
  }
}
