/**
 * The layer rules of docs/architecture.md (`.dependency-cruiser.cjs`, run by `npm run lint`): the
 * real sources obey them, and each rule catches its violation in a small planted tree.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const CONFIG = join(repo, '.dependency-cruiser.cjs');

function depcruise(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        'src',
        '--config',
        CONFIG,
        '--output-type',
        'err',
      ],
      { cwd },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/**
 * A tree with one violation of each rule, next to modules that obey them (src/testing importing a
 * runtime sub-folder through its index.ts, as the kubeforge/runtime/* subpaths allow).
 */
function plantViolations(root: string): void {
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
    'src/errors.ts': 'export class UserError extends Error {}\n',
    'src/cli/index.ts': "export { UserError } from '../errors.js';\n",
    'src/runtime/index.ts': "export * from './leak.js';\n",
    'src/runtime/leak.ts': "import { UserError } from '../cli/index.js';\nexport const leak = UserError;\n",
    'src/runtime/cache/index.ts': "export { described } from './uses-client.js';\n",
    'src/runtime/cache/uses-client.ts': "import { path } from '../client/paths.js';\nexport const described = path;\n",
    'src/runtime/client/index.ts': "export { path } from './paths.js';\n",
    'src/runtime/client/paths.ts': "export const path = '/api';\n",
    'src/testing/index.ts': "export { path } from '../runtime/client/index.js';\nexport { fake } from './fake.js';\n",
    'src/testing/fake.ts': "import { path } from '../runtime/client/paths.js';\nexport const fake = path;\n",
    'src/machinery/index.ts': "export { Tree } from './tree.js';\n",
    'src/machinery/tree.ts': 'export class Tree {}\n',
    'src/codegen/index.ts': "import { Tree } from '../machinery/tree.js';\nexport const tree = Tree;\n",
    'src/project/index.ts': "export { a } from './a.js';\n",
    'src/project/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'src/project/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

describe('layer rules', () => {
  const planted = mkdtempSync(join(tmpdir(), 'kubeforge-layers-'));
  afterAll(() => rmSync(planted, { recursive: true, force: true }));

  it('hold for the sources of this repository', { timeout: 60_000 }, async () => {
    const { code, output } = await depcruise(repo);
    expect(output).toMatch(/no dependency violations found/);
    expect(code).toBe(0);
  });

  it('catch a layer violation, an import past an index.ts and a cycle', { timeout: 60_000 }, async () => {
    plantViolations(planted);
    const { code, output } = await depcruise(planted);
    const violations = output
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('error '))
      .sort();
    expect(violations).toEqual([
      'error layer-runtime: src/runtime/leak.ts → src/cli/index.ts',
      'error no-cycles: src/project/a.ts →',
      'error through-index-in-folder: src/runtime/cache/uses-client.ts → src/runtime/client/paths.ts',
      'error through-index: src/codegen/index.ts → src/machinery/tree.ts',
      'error through-index: src/testing/fake.ts → src/runtime/client/paths.ts',
    ]);
    expect(output).toMatch(/no-cycles: src\/project\/a\.ts →\s+src\/project\/b\.ts →\s+src\/project\/a\.ts/);
    expect(code).not.toBe(0);
  });
});
