/**
 * Kubernetes' own API groups, as `kubebuilder create api --resource=false` recognises them: the
 * `--group` a user types (`apps`, `networking`, `rbac.authorization`, `core`) and the domain that
 * completes it (`networking` + `k8s.io` = `networking.k8s.io`; `apps` has none). A controller for a
 * kind of one of these groups uses the built-in kind instead of scaffolding types.
 */
const K8S_IO = 'k8s.io';

const CORE_GROUPS: Readonly<Record<string, string>> = {
  admission: K8S_IO,
  admissionregistration: K8S_IO,
  apps: '',
  auditregistration: K8S_IO,
  apiextensions: K8S_IO,
  authentication: K8S_IO,
  authorization: K8S_IO,
  autoscaling: '',
  batch: '',
  certificates: K8S_IO,
  coordination: K8S_IO,
  core: '',
  events: K8S_IO,
  extensions: '',
  imagepolicy: K8S_IO,
  networking: K8S_IO,
  node: K8S_IO,
  metrics: K8S_IO,
  policy: '',
  'rbac.authorization': K8S_IO,
  scheduling: K8S_IO,
  setting: K8S_IO,
  storage: K8S_IO,
};

/** The domain of a Kubernetes core group (`''` or `k8s.io`), or undefined when `group` is none. */
export function coreGroupDomain(group: string): string | undefined {
  return Object.hasOwn(CORE_GROUPS, group) ? CORE_GROUPS[group] : undefined;
}

/** The `--group` values that name a Kubernetes core group. */
export function coreGroupNames(): string[] {
  return Object.keys(CORE_GROUPS);
}
