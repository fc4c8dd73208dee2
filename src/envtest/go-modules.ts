/**
 * The build recipe for envtest binaries, as templates for two throw-away Go modules: one that
 * requires `k8s.io/kubernetes` (kube-apiserver, kube-controller-manager) and one that requires
 * etcd's server module, kept apart so their dependency versions never mix.
 *
 * k8s.io/kubernetes points its staging modules (`k8s.io/api`, `k8s.io/client-go`, …) at
 * `./staging/src/…`, which a consumer cannot resolve, and requires them at `v0.0.0`. The wrapper
 * therefore replaces EVERY staging module with its published `v0.<minor>.<patch>`; the list and
 * the `go`/`godebug` directives are read from that version's own go.mod, never hard-coded.
 */

export interface KubernetesModuleFacts {
  /** e.g. ['k8s.io/api', 'k8s.io/apiextensions-apiserver', …] */
  stagingModules: string[];
  /** The `go` directive of k8s.io/kubernetes' go.mod ('1.26.0'). */
  goDirective?: string;
  /** Its `godebug` lines ('default=go1.26'). */
  godebug: string[];
}

/** Reads staging modules and the go/godebug directives from k8s.io/kubernetes' go.mod text. */
export function parseKubernetesGoMod(goMod: string): KubernetesModuleFacts {
  const stagingModules = new Set<string>();
  const godebug: string[] = [];
  let goDirective: string | undefined;
  for (const line of goMod.split('\n')) {
    const staging = /^\s*(?:replace\s+)?(k8s\.io\/[\w.-]+)\s*=>\s*\.\/staging\//.exec(line);
    if (staging) stagingModules.add(staging[1]);
    const go = /^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/.exec(line);
    if (go) goDirective = go[1];
    const debug = /^godebug\s+([\w.=,-]+)\s*$/.exec(line);
    if (debug) godebug.push(debug[1]);
  }
  return { stagingModules: [...stagingModules].sort(), goDirective, godebug };
}

/** `1.37.2` → `v0.37.2`: the tag every staging module carries for that Kubernetes release. */
export function stagingVersionOf(k8sVersion: string): string {
  const [, minor, patch] = k8sVersion.split('.');
  return `v0.${minor}.${patch}`;
}

export function kubernetesWrapperGoMod(k8sVersion: string, facts: KubernetesModuleFacts): string {
  const staging = stagingVersionOf(k8sVersion);
  return [
    'module kubeforge.local/envtest-build',
    '',
    `go ${facts.goDirective ?? '1.26.0'}`,
    ...(facts.godebug.length > 0 ? ['', ...facts.godebug.map((setting) => `godebug ${setting}`)] : []),
    '',
    `require k8s.io/kubernetes v${k8sVersion}`,
    '',
    'replace (',
    ...facts.stagingModules.map((module) => `\t${module} => ${module} ${staging}`),
    ')',
    '',
  ].join('\n');
}

export function etcdWrapperGoMod(etcdVersion: string, goDirective = '1.26.0'): string {
  return [
    'module kubeforge.local/etcd-build',
    '',
    `go ${goDirective}`,
    '',
    `require go.etcd.io/etcd/server/v3 v${etcdVersion}`,
    '',
  ].join('\n');
}

/** A `tools` file that makes `go mod tidy` keep the packages we build. */
export function toolsGo(packages: string[]): string {
  return [
    '//go:build tools',
    '',
    'package tools',
    '',
    'import (',
    ...packages.map((path) => `\t_ "${path}"`),
    ')',
    '',
  ].join('\n');
}

/** `-ldflags` that make `--version` print the real version instead of v0.0.0-master. */
export function versionLdflags(k8sVersion: string): string {
  const [major, minor] = k8sVersion.split('.');
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => [
      `-X ${pkg}.gitVersion=v${k8sVersion}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
    ])
    .join(' ');
}

export const GO_PACKAGES = {
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
  etcd: 'go.etcd.io/etcd/server/v3',
} as const;
