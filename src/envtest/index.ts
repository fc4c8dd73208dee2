/**
 * kubeforge/envtest: a real Kubernetes control plane for tests, like controller-runtime's envtest.
 * etcd + kube-apiserver (+ optionally kube-controller-manager) run as local processes on loopback
 * with certificates made in-process; their binaries come from `KUBEFORGE_ASSETS`,
 * `KUBEBUILDER_ASSETS` or a per-user cache that `kubeforge envtest setup` fills (download of the
 * official envtest tarball, or a build from Go modules when there is no internet).
 * Processes never outlive the test run that started them.
 */
export {
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
  type FaultyControlPlane,
} from './control-plane.js';
export {
  startFaultProxy,
  type DelayOptions,
  type FailOptions,
  type FaultHandle,
  type FaultProxy,
  type FaultProxyOptions,
  type Faults,
  type PartitionHandle,
  type PartitionOptions,
  type RequestInfo,
  type RequestMatch,
  type SeenRequest,
  type Selection,
} from './faults/index.js';
export type { AuthenticatedUser, User } from './add-user.js';
export type { InstalledWebhooks, WebhookInstallOptions } from './webhook-install.js';
export { installCRDs, readCRDs } from './crds.js';
export { ensureAssets, type EnsureAssetsOptions } from './ensure-assets.js';
export {
  findAssets,
  cacheRoot,
  installDirFor,
  DEFAULT_KUBERNETES_VERSION,
  KUBERNETES_VERSIONS,
  ETCD_VERSION,
  type AssetRequirements,
  type BinaryName,
} from './assets.js';
export { kubeconfigYaml } from './kubeconfig.js';
// The certificate helpers live in the runtime (its servers make certificates too); envtest users keep them here.
export {
  createCertificateAuthority,
  issueCertificate,
  type CertifiedKey,
  type CertificateRequest,
} from '../runtime/serving/index.js';
export { cleanStaleRuns } from './processes.js';
export { findGoTool, goToolRemedy, goToolsDir, type GoToolSpec, type ResolvedGoTool } from './go-tools.js';
export { CONTROLLER_GEN_TOOL, HELM_TOOL } from './go-tool-specs.js';
export { goVersion } from './go-build.js';
