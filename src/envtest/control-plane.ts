/**
 * Starts etcd, kube-apiserver and optionally kube-controller-manager on loopback, the way
 * controller-runtime's envtest does, and hands back a kubeconfig and a `RestConfig`.
 * Restarting only the apiserver keeps etcd, its data and the ports, so clients keep working.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../cli/errors.js';
import type { RestConfig } from '../runtime/types.js';
import { apiRequest, pollUntil } from './api-requests.js';
import { candidateDirs, findAssets, missingBinaries, requiredBinaries } from './assets.js';
import { createControlPlaneCertificates } from './certificates.js';
import { installCRDs } from './crds.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { freePort, RunDirectory, type ManagedProcess } from './processes.js';

export interface ControlPlaneOptions {
  /** Directories or files of CRD manifests to install before returning. */
  crdDirectoryPaths?: string[];
  /** Also run kube-controller-manager (garbage collection, Deployment → ReplicaSet, namespace deletion). */
  controllerManager?: boolean;
  /** etcd key prefix the apiserver stores under (default `/registry`). */
  etcdPrefix?: string;
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
      throw new UserError(`envtest assets directory ${options.assetsDir} has no ${missing.join(', ')}`);
    return options.assetsDir;
  }
  const found = findAssets(requirements);
  if (found) return found;
  const looked = candidateDirs(requirements)
    .map(({ label, dir }) => `${label}: ${dir}`)
    .join('; ');
  throw new UserError(
    `no envtest binaries (${requiredBinaries(requirements).join(', ')}) found (looked in ${looked})`,
    {
      hint: `run \`npx kubeforge envtest setup${options.controllerManager ? ' --with-controller-manager' : ''}\` once, or set KUBEBUILDER_ASSETS to a directory holding them`,
    },
  );
}

function exitedReason(process: ManagedProcess): () => string | undefined {
  return () =>
    process.pid === undefined ? `${process.name} exited; last log lines:\n${process.logTail()}` : undefined;
}

/** Starts a control plane; see `ControlPlaneOptions`. Call `stop()` when done (also done on process exit). */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const assets = resolveAssets(options);
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const run = RunDirectory.create();
  try {
    const [certs, etcdPort, etcdPeerPort, apiPort] = await Promise.all([
      createControlPlaneCertificates(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const files = {
      caCert: run.file('ca.crt'),
      caKey: run.file('ca.key'),
      servingCert: run.file('apiserver.crt'),
      servingKey: run.file('apiserver.key'),
      saKey: run.file('service-account.key'),
      saPub: run.file('service-account.pub'),
      kubeconfig: run.file('kubeconfig'),
    };
    writeFileSync(files.caCert, certs.ca.cert);
    writeFileSync(files.caKey, certs.ca.key, { mode: 0o600 });
    writeFileSync(files.servingCert, certs.serving.cert);
    writeFileSync(files.servingKey, certs.serving.key, { mode: 0o600 });
    writeFileSync(files.saKey, certs.serviceAccount.privateKey, { mode: 0o600 });
    writeFileSync(files.saPub, certs.serviceAccount.publicKey);

    const server = `https://127.0.0.1:${apiPort}`;
    const restConfig: RestConfig = {
      server,
      caData: certs.ca.cert,
      certData: certs.admin.cert,
      keyData: certs.admin.key,
      userAgent: 'kubeforge-envtest',
    };
    const kubeconfig = kubeconfigYaml(restConfig);
    writeFileSync(files.kubeconfig, kubeconfig, { mode: 0o600 });

    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcdPeerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const etcd = run.spawn('etcd', join(assets, 'etcd'), [
      `--name=envtest`,
      `--data-dir=${run.dataDir}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${etcdPeerUrl}`,
      `--initial-advertise-peer-urls=${etcdPeerUrl}`,
      `--initial-cluster=envtest=${etcdPeerUrl}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
    const apiServerArgs = [
      `--advertise-address=127.0.0.1`,
      `--bind-address=127.0.0.1`,
      `--secure-port=${apiPort}`,
      `--cert-dir=${run.path}`,
      `--tls-cert-file=${files.servingCert}`,
      `--tls-private-key-file=${files.servingKey}`,
      `--client-ca-file=${files.caCert}`,
      `--etcd-servers=${etcdUrl}`,
      `--etcd-prefix=${options.etcdPrefix ?? '/registry'}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      `--service-account-issuer=${server}`,
      `--service-account-key-file=${files.saPub}`,
      `--service-account-signing-key-file=${files.saKey}`,
      '--endpoint-reconciler-type=none',
      '--profiling=false',
    ];
    let apiServer = run.spawn('kube-apiserver', join(assets, 'kube-apiserver'), apiServerArgs);
    let controllerManager: ManagedProcess | undefined;

    const startEtcd = async () => {
      etcd.start();
      await pollUntil(async () => (await fetch(`${etcdUrl}/health`)).ok, {
        timeoutMs,
        describe: () => 'etcd did not become healthy',
        abortIf: exitedReason(etcd),
      });
    };
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
      controllerManager = run.spawn('kube-controller-manager', join(assets, 'kube-controller-manager'), [
        `--kubeconfig=${files.kubeconfig}`,
        '--leader-elect=false',
        '--secure-port=0',
        '--bind-address=127.0.0.1',
        '--controllers=*',
        '--use-service-account-credentials=false',
        `--service-account-private-key-file=${files.saKey}`,
        `--root-ca-file=${files.caCert}`,
        `--cluster-signing-cert-file=${files.caCert}`,
        `--cluster-signing-key-file=${files.caKey}`,
        '--concurrent-gc-syncs=5',
      ]);
      controllerManager.start();
      // The controller manager has no readiness endpoint with --secure-port=0; it is up once it
      // has published the kube-root-ca.crt ConfigMap (root-ca-cert-publisher controller).
      await pollUntil(
        async () =>
          (await apiRequest(restConfig, 'GET', '/api/v1/namespaces/default/configmaps/kube-root-ca.crt')).status ===
          200,
        {
          timeoutMs,
          describe: () => `kube-controller-manager did not start (log: ${controllerManager?.logFile})`,
          abortIf: exitedReason(controllerManager),
        },
      );
    };

    await startEtcd();
    await startApiServer();
    if (options.controllerManager) await startControllerManager();
    if (options.crdDirectoryPaths?.length) await installCRDs(restConfig, options.crdDirectoryPaths);

    let stopped = false;
    return {
      kubeconfig,
      kubeconfigPath: files.kubeconfig,
      restConfig,
      runDir: run.path,
      pids: () => ({ etcd: etcd.pid, apiServer: apiServer.pid, controllerManager: controllerManager?.pid }),
      async stopApiServer() {
        await controllerManager?.stop();
        await apiServer.stop();
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
        await controllerManager?.stop(5000);
        await apiServer.stop(5000);
        await etcd.stop(5000);
        run.killAllNow();
      },
    };
  } catch (error) {
    run.killAllNow();
    throw error;
  }
}
