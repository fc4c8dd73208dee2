/**
 * What `startControlPlane` takes and hands back, shared by a control plane of our own and an
 * existing cluster (`useExistingCluster`).
 */
import type { RestConfig } from '../runtime/index.js';
import type { AuthenticatedUser, User } from './add-user.js';
import type { Faults } from './faults/index.js';
import type { InstalledWebhooks, WebhookInstallOptions } from './webhook-install.js';

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
  /**
   * Use the cluster of `KUBECONFIG` (or ~/.kube/config) instead of starting one, as
   * controller-runtime's `UseExistingCluster`. Default: the `USE_EXISTING_CLUSTER` environment
   * variable is `true`. CRDs and webhooks are installed into it; nothing is started or stopped.
   */
  useExistingCluster?: boolean;
  /** Serve the project's webhooks for the apiserver: install their configurations pointed at a local URL. */
  webhookInstallOptions?: WebhookInstallOptions;
  /**
   * Put a fault proxy between clients and the apiserver (docs/envtest.md, "Faults on demand"):
   * `restConfig`/`kubeconfig` point at it and `faults` programs it. `{ seed }` seeds its PRNG.
   */
  faults?: boolean | { seed?: number };
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
  /** Whether this is an existing cluster (`useExistingCluster`): then there is no etcd, and nothing to stop. */
  readonly existingCluster: boolean;
  /** With `webhookInstallOptions`: where the test's webhook server must listen, with which certificate. */
  readonly webhookInstallOptions?: InstalledWebhooks;
  /**
   * A user authenticated by a client certificate from the control plane's CA, with no rights of its
   * own (as controller-runtime's `AddUser`); for RBAC tests. Not available on an existing cluster.
   */
  addUser(user: User): Promise<AuthenticatedUser>;
  /** Stops every component and removes the run and data directories (uninstalls the webhooks). Idempotent. */
  stop(): Promise<void>;
}

/** A control plane started with `faults`: clients reach the apiserver through the fault proxy. */
export interface FaultyControlPlane extends ControlPlane {
  /** Programs the proxy; call `faults.reset()` after each test. */
  readonly faults: Faults;
  /** The apiserver itself, past the proxy: for a test's own setup and checks while faults are on. */
  readonly apiServer: { restConfig: RestConfig; kubeconfig: string; kubeconfigPath: string };
}
