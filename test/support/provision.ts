/**
 * Everything `npm test` needs besides npm packages, provisioned at the start of the run: the
 * envtest control-plane binaries, helm (chart tests), controller-gen (parity suite) and the shells
 * the completion scripts are loaded in (zsh, fish: see ./shells.ts). Each Go tool comes
 * from its environment variable, the kubeforge cache or PATH, or is built once from Go modules.
 * When something is missing and there is no Go to build it, the run fails at once with one message
 * that lists every missing piece and how to provide it; no test is skipped for a missing tool.
 */
import { findAssets, ensureAssets } from '../../src/envtest/index.js';
import { goVersion } from '../../src/envtest/go-build.js';
import {
  ensureGoTool,
  findGoTool,
  goToolRemedy,
  type GoToolSource,
  type GoToolSpec,
} from '../../src/envtest/go-tools.js';
import { CONTROLLER_GEN_TOOL as CONTROLLER_GEN, HELM_TOOL as HELM } from '../../src/envtest/go-tool-specs.js';
import { ensureShells } from './shells.js';

export interface ProvisionedTools {
  assetsDir: string;
  helm: string;
  controllerGen: string;
  /** One line for the end of the run: how long provisioning took and where each tool came from. */
  summary: string;
}

const ENVTEST_REMEDY =
  'etcd, kube-apiserver and kube-controller-manager: set KUBEBUILDER_ASSETS (or KUBEFORGE_ASSETS) to a directory holding them, or install Go >= 1.26 to build them (~10 minutes, ~1 GB of modules)';

/** Fails fast, before any build starts, when a tool is missing and Go is not there to build it. */
function requireGoForMissingTools(assetsFound: boolean, missingTools: GoToolSpec[]): void {
  const missing = [...(assetsFound ? [] : [ENVTEST_REMEDY]), ...missingTools.map(goToolRemedy)];
  if (missing.length === 0 || goVersion()) return;
  const error = new Error(
    [
      'npm test needs tools that are not on this machine, and `go` (to build them) was not found on PATH:',
      ...missing.map((line) => `  - ${line}`),
    ].join('\n'),
  );
  error.stack = error.message;
  throw error;
}

/** Where the envtest binaries found before provisioning came from. */
function envtestSource(found: string | undefined): GoToolSource {
  if (!found) return 'built';
  return [process.env.KUBEFORGE_ASSETS, process.env.KUBEBUILDER_ASSETS].includes(found) ? 'env' : 'cache';
}

export async function provisionTestTools(report: (line: string) => void): Promise<ProvisionedTools> {
  const started = Date.now();
  const existingAssets = findAssets({ controllerManager: true });
  const specs = [HELM, CONTROLLER_GEN];
  const found = specs.map((spec) => findGoTool(spec));
  requireGoForMissingTools(
    existingAssets !== undefined,
    specs.filter((_, i) => !found[i]),
  );
  const assetsDir = await ensureAssets({
    controllerManager: true,
    onProgress: (line) => report(`[envtest] ${line}`),
  });
  const sources = [`envtest binaries (${envtestSource(existingAssets)})`];
  const resolved: Record<string, string> = {};
  for (const [i, spec] of specs.entries()) {
    const tool = found[i] ?? (await ensureGoTool(spec, (line) => report(`[${spec.name}] ${line}`)));
    report(`[${spec.name}] using ${tool.path} (${tool.source}: ${tool.version})`);
    sources.push(`${spec.name} (${tool.source})`);
    resolved[spec.name] = tool.path;
  }
  sources.push(await ensureShells((line) => report(`[shells] ${line}`)));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return {
    assetsDir,
    helm: resolved[HELM.name],
    controllerGen: resolved[CONTROLLER_GEN.name],
    summary: `provisioning: ${seconds}s — ${sources.join(', ')}`,
  };
}
