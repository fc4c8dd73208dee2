/**
 * The example is kubeforge output: re-running the commands recorded in its scaffold.json with
 * the current CLI must reproduce every file not recorded as hand-written, `kubeforge manifests`
 * must reproduce its CRD and RBAC, and its TypeScript must compile against this checkout.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScaffoldRecord } from '../../scripts/demo/index.js';
import { readTree, runCli, useWorkspace } from '../cli/cli-harness.js';
import { EXAMPLE_DIR } from './operator.js';

const REPO_ROOT = join(EXAMPLE_DIR, '../..');
const IGNORED = /(^|\/)(node_modules|dist)\//;

async function checkedIn(): Promise<Record<string, string>> {
  const files = await readTree(EXAMPLE_DIR);
  return Object.fromEntries(Object.entries(files).filter(([path]) => !IGNORED.test(path)));
}

describe('the MicroService example as kubeforge output', () => {
  const work = useWorkspace('msvc-scaffold', { name: 'microservice-operator', once: true });
  let record: ScaffoldRecord;

  beforeAll(async () => {
    record = JSON.parse(await readFile(join(EXAMPLE_DIR, 'scaffold.json'), 'utf8')) as ScaffoldRecord;
  });

  it('re-running its recorded init and create api reproduces every scaffold-owned file byte for byte', async () => {
    const project = work.project;
    for (const command of record.commands) {
      // The checked-in project depends on `file:../..`; from the temp dir the same checkout is an absolute path.
      const args = command.map((arg, i) => (command[i - 1] === '--kubeforge-path' ? REPO_ROOT : arg));
      const run = await runCli(project, args);
      expect(run.stderr, `kubeforge ${args.join(' ')}`).toBe('');
      expect(run.code).toBe(0);
    }
    const regenerated = await readTree(project);
    regenerated['package.json'] = regenerated['package.json'].replace(
      `"kubeforge": "file:${REPO_ROOT.replace(/\/$/, '')}"`,
      '"kubeforge": "file:../.."',
    );
    const example = await checkedIn();
    const owned = (path: string) => !(path in record.handWritten) && !(path in record.generated);

    const scaffoldOwned = Object.keys(regenerated).filter(owned);
    expect(scaffoldOwned.length).toBeGreaterThan(25);
    for (const path of scaffoldOwned)
      expect(example[path], `${path} drifted from kubeforge's output`).toBe(regenerated[path]);
    const unrecorded = Object.keys(example).filter((path) => owned(path) && !(path in regenerated));
    expect(unrecorded, 'files neither scaffolded nor recorded in scaffold.json').toEqual([]);
  });

  it('kubeforge manifests reproduces the checked-in CRD and RBAC from the hand-written types and markers', async () => {
    const copy = join(work.root, 'manifests');
    await cp(EXAMPLE_DIR, copy, { recursive: true, filter: (source) => !IGNORED.test(`${source}/`) });
    for (const path of Object.keys(record.generated)) await writeFile(join(copy, path), '');
    const run = await runCli(copy, ['manifests', '--dir', copy]);
    expect(run.code, run.stderr).toBe(0);
    for (const path of Object.keys(record.generated)) {
      expect(await readFile(join(copy, path), 'utf8'), `${path} is stale: run kubeforge manifests`).toBe(
        await readFile(join(EXAMPLE_DIR, path), 'utf8'),
      );
    }
  });

  it('type-checks against this checkout with the strict tsconfig kubeforge scaffolded', async () => {
    const tsconfig = join(work.root, 'tsconfig.check.json');
    await writeFile(
      tsconfig,
      JSON.stringify({
        extends: join(EXAMPLE_DIR, 'tsconfig.json'),
        compilerOptions: {
          noEmit: true,
          rootDir: REPO_ROOT,
          typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
          paths: { 'kubeforge/*': [join(REPO_ROOT, 'src/*/index.ts')] },
        },
        include: ['api', 'src', 'test'].map((dir) => join(EXAMPLE_DIR, dir)),
      }),
    );
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig]).then(
      () => '',
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
    expect(result).toBe('');
  });
});
