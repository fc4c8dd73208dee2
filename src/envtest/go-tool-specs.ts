/**
 * The Go tools kubeforge's own test runs provision (`findGoTool`/`ensureGoTool` specs), so that
 * `kubeforge doctor` checks the same versions the tests build: helm for the chart tests,
 * controller-gen for the parity suite.
 */
import type { GoToolSpec } from './go-tools.js';

export const HELM_TOOL: GoToolSpec = {
  name: 'helm',
  goPackage: 'helm.sh/helm/v3/cmd/helm',
  version: 'v3.19.0',
  versionArgs: ['version', '--short'],
  acceptVersion: 'v3.',
  envVar: 'KUBEFORGE_HELM',
};

export const CONTROLLER_GEN_TOOL: GoToolSpec = {
  name: 'controller-gen',
  goPackage: 'sigs.k8s.io/controller-tools/cmd/controller-gen',
  version: 'v0.23.0',
  versionArgs: ['--version'],
  envVar: 'KUBEFORGE_CONTROLLER_GEN',
};
