import { cp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { INIT_ARGS, readTree, runCli, useWorkspace } from './cli-harness.js';

/** Regenerate with `test/cli/update-golden.sh` (UPDATE_GOLDEN=1) after a deliberate template change. */
const GOLDEN = fileURLToPath(new URL('../../fixtures/golden/guestbook/', import.meta.url));

describe('golden project', () => {
  const ws = useWorkspace('golden', { once: true });
  beforeAll(async () => {
    for (const args of [
      INIT_ARGS,
      ['create', 'api', '--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook', '--yes'],
      ['create', 'api', '--group', 'batch', '--version', 'v1alpha1', '--kind', 'Policy', '--namespaced=false', '--yes'],
    ]) {
      const run = await runCli(ws.project, args);
      expect(run.code, run.stderr).toBe(0);
    }
    if (process.env.UPDATE_GOLDEN) {
      await rm(GOLDEN, { recursive: true, force: true });
      await cp(ws.project, GOLDEN, { recursive: true });
    }
  });

  it('init plus two create api write exactly the golden files', async () => {
    const actual = await readTree(ws.project);
    const expected = await readTree(GOLDEN);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const path of Object.keys(expected)) expect(actual[path], path).toBe(expected[path]);
  });
});
