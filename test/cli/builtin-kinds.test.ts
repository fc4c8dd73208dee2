import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as runtime from '../../src/runtime/index.js';
import { BUILTIN_KINDS } from '../../src/scaffolds/builtin-kinds.js';
import { REPO } from './cli-harness.js';

/** The kinds kubeforge/runtime exports: frozen objects with an apiVersion and a plural. */
const exportedKinds = Object.entries(runtime).filter(
  (entry): entry is [string, runtime.ObjectKind] =>
    typeof entry[1] === 'object' && entry[1] !== null && 'apiVersion' in entry[1] && 'plural' in entry[1],
);

// The scaffolds' table of built-in kinds (what `create api --resource=false` and `create webhook`
// import for a Kubernetes group) must be exactly what kubeforge/runtime exports, with the same
// client-node types: a generated controller imports these names.
describe('built-in kinds the scaffolds know', () => {
  it('are the kinds kubeforge/runtime exports, with their group, version, kind, plural and scope', () => {
    const fromRuntime = exportedKinds.map(([exportName, kind]) => ({
      exportName,
      apiGroup: kind.group,
      version: kind.version,
      kind: kind.kind,
      plural: kind.plural,
      namespaced: kind.namespaced,
    }));
    const fromTable = BUILTIN_KINDS.map(({ exportName, apiGroup, version, kind, plural, namespaced }) => ({
      exportName,
      apiGroup,
      version,
      kind,
      plural,
      namespaced,
    }));
    const byName = (a: { exportName: string }, b: { exportName: string }) => a.exportName.localeCompare(b.exportName);
    expect(fromTable.sort(byName)).toEqual(fromRuntime.sort(byName));
  });

  it('name the @kubernetes/client-node type the runtime defines each kind with', async () => {
    const source = (await readFile(join(REPO, 'src/runtime/kinds.ts'), 'utf8')).replace(/\s+/g, ' ');
    for (const { exportName, typeName } of BUILTIN_KINDS) {
      expect(source, exportName).toContain(`export const ${exportName} = defineKind<${typeName}>(`);
    }
  });
});
