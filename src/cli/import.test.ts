import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useWorkspace } from '../../test/cli/cli-harness.js';

const SCHEMA = join(import.meta.dirname, '..', '..', 'fixtures', 'import', 'widget.schema.json');
const workspace = useWorkspace('import');

describe('kubeforge import', { timeout: 30_000 }, () => {
  it('writes one module per source under --out and reports no change the second time', async () => {
    const first = await runCli(workspace.project, ['import', SCHEMA, '--out', 'src/models']);
    expect(first).toMatchObject({ code: 0, stdout: 'CREATE src/models/Widget.ts' });
    expect(readFileSync(join(workspace.project, 'src/models/Widget.ts'), 'utf8')).toContain(
      'export interface Widget {',
    );
    const second = await runCli(workspace.project, ['import', SCHEMA, '--out', 'src/models']);
    expect(second.stdout).toBe('SKIP   src/models/Widget.ts');
  });

  it('writes nothing with --dry-run', async () => {
    const run = await runCli(workspace.project, ['import', SCHEMA, '--dry-run']);
    expect(run.stdout).toBe('CREATE src/imports/Widget.ts\ndry run: nothing was written');
    expect(existsSync(join(workspace.project, 'src'))).toBe(false);
  });

  it('names the missing source and exits 1', async () => {
    const run = await runCli(workspace.project, ['import', 'nowhere.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nowhere.yaml does not exist');
  });

  it('rejects an --out outside the project', async () => {
    const run = await runCli(workspace.project, ['import', SCHEMA, '--out', '../elsewhere']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--out "../elsewhere" must be inside the project');
  });
});
