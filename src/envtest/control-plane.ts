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
import { kubeconfigYaml } from './kubeconfig.js';
import { freePort, RunDirectory, type ManagedProcess } from './processes.js';

export interface ControlPlaneOptions {
  /** Directories or files of CRD manifests to install before returning. */
  crdDirectoryPaths?: string[];
  /** Also run kube-controller-manager (garbage collection, Deployment → ReplicaSet, namespace deletion). */
  controllerManager?: boolean;
  /** etcd key prefix the apiserver stores under (default `/registry`). */
  etcdPrefix?: string;
  /** Extra kube-apiserver flags, appended after envtest's own (`--feature-gates=…`, `--enable-admission-plugins=…`). */
  apiServerExtraArgs?: string[];
  /** Which cached Kubernetes version to use when `assetsDir` is not given. */
  k8sVersion?: string;
  /** Directory holding `etcd`, `kube-apiserver` (and `kube-controller-manager`). */
  assetsDir?: string;
  /** How long to wait for each component to become ready (default 60 s). */
  startTimeoutMs?: number;
}

export interface ControlPlane {
  /** Kubeconfig YAML for the admin user (certificates embedded). */
  readonly kubeconfig: string;
  /** The same kubeconfig, written to a file inside the run directory. */
  readonly kubeconfigPath: string;
  readonly restConfig: RestConfig;
  /** The run directory: certificates, kubeconfig, component logs. Removed by `stop()`. */
  readonly runDir: string;
  /** etcd's client URL (`http://127.0.0.1:<port>`), for tests that talk to etcd directly (compaction). */
  readonly etcdUrl: string;
  /** etcd's data directory (on tmpfs when available). Removed by `stop()`. */
  readonly dataDir: string;
  /** Process ids of the running components (for tests and diagnostics). */
  pids(): { etcd?: number; apiServer?: number; controllerManager?: number };
  /** Stops kube-apiserver (and the controller manager), keeping etcd and its data. */
  stopApiServer(): Promise<void>;
  /** Starts kube-apiserver again on the same port and waits until it is ready. */
  startApiServer(): Promise<void>;
  /** Stops every component and removes the run and data directories. Idempotent. */
  stop(): Promise<void>;
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
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const assets = resolveAssets(options);
  // Read the CRDs first: a bad path or manifest fails before any process starts.
  const crds = await readCRDs(options.crdDirectoryPaths ?? []);
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

    let stopped = false;
    return {
      kubeconfig,
      kubeconfigPath: files.kubeconfig,
      restConfig,
      runDir: run.path,
      dataDir: run.dataDir,
      etcdUrl: `http://127.0.0.1:${etcdPort}`,
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
        await Promise.all([controllerManager?.stop(5000), apiServer.stop(5000)]);
        await etcd.stop(5000);
        run.killAllNow();
      },
    };
  } catch (error) {
    run.killAllNow();
    throw error;
  }
}
