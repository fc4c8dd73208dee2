/**
 * Type-checks generated TypeScript modules strictly (NodeNext, no ambient types, `kubeforge/api`
 * mapped to this checkout's src/api) as a user's project would compile them. Shared by the
 * import snapshot test and the manifests → import round trip.
 */
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..');

/**
 * Places each module at `node_modules/<folder>/<path>` in this checkout (so `@kubernetes/client-node`
 * resolves) and returns the formatted diagnostics: an empty list when all of them compile. An empty
 * module list is an error, never a pass.
 */
export async function strictTypeCheck(folder: string, modules: { path: string; content: string }[]): Promise<string[]> {
  if (modules.length === 0) throw new Error('strictTypeCheck: no modules given (did the tests that collect them run?)');
  const { Project, ts } = await import('ts-morph');
  const project = new Project({
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
      baseUrl: REPO,
      paths: { 'kubeforge/api': ['src/api/index.ts'] },
    },
  });
  for (const module of modules)
    project.createSourceFile(join(REPO, 'node_modules', folder, module.path), module.content);
  return project.getPreEmitDiagnostics().map((d) => project.formatDiagnosticsWithColorAndContext([d]));
}
