// controller-gen v0.23.0 for the generation benchmarks: the same binary the parity suite uses,
// found or built from Go modules into ~/.cache/kubeforge/tools (needs `npm run build` first).
import { CONTROLLER_GEN_TOOL } from '../dist/envtest/go-tool-specs.js';
import { ensureGoTool } from '../dist/envtest/go-tools.js';

/** The controller-gen binary's path, building it on first use (with progress on stderr). */
export async function controllerGenPath() {
  const tool = await ensureGoTool(CONTROLLER_GEN_TOOL, (line) => console.error(`[controller-gen] ${line}`));
  return tool.path;
}
