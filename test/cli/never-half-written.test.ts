import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRD_FIXTURES } from '../codegen/fixture-projects.js';
import { INIT_ARGS, runCli, treeDigest, useWorkspace } from './cli-harness.js';

const GUESTBOOK = ['create', 'api', '--yes', '--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook'];

describe('a command that fails while writing leaves the disk as it was', () => {
  const ws = useWorkspace('half-written');

  /** Runs the command in the project; expects exit 1, the messages, no stack, and the workspace unchanged. */
  async function expectRolledBack(args: string[], ...messages: string[]): Promise<void> {
    const before = await treeDigest(ws.root);
    const run = await runCli(ws.project, args);
    expect(run.code).toBe(1);
    for (const message of messages) expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await treeDigest(ws.root)).toBe(before);
  }

  it('create api: a file where a folder must go undoes every file written before it', async () => {
    expect((await runCli(ws.project, INIT_ARGS)).code).toBe(0);
    writeFileSync(join(ws.project, 'src/controllers'), 'not a folder\n');
    const blocker = join(ws.project, 'src/controllers');
    await expectRolledBack(
      GUESTBOOK,
      `Error: cannot write src/controllers/guestbook.controller.ts: ${blocker} is a file, not a folder (EEXIST); nothing was changed (5 file(s) written before it were put back)`,
      `hint: move or rename ${blocker} (a folder of that name is needed), then run the command again`,
    );
    expect(existsSync(join(ws.project, 'api'))).toBe(false);
  });

  it('init --force: the files written before the failure, and their folders, are removed again', async () => {
    writeFileSync(join(ws.project, 'config'), 'not a folder\n');
    await expectRolledBack(
      [...INIT_ARGS, '--force'],
      `Error: cannot write config/default/kustomization.yaml: ${join(ws.project, 'config')} is a file, not a folder (ENOTDIR); nothing was changed (`,
    );
  });
});

describe('kubeforge manifests outside a project: an error naming --dir, nothing written', () => {
  const ws = useWorkspace('manifests-dir');

  async function expectRefused(cwd: string, args: string[], message: string): Promise<void> {
    const before = await treeDigest(ws.root);
    const run = await runCli(cwd, ['manifests', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      `Error: ${message}`,
      '  hint: run it in the root of a kubeforge project (the directory holding PROJECT), or pass --dir <project>',
    ]);
    expect(await treeDigest(ws.root)).toBe(before);
  }

  it('refuses a --dir that does not exist', async () => {
    await expectRefused(
      ws.project,
      ['--dir', '/nonexistent'],
      '--dir "/nonexistent" is invalid: /nonexistent does not exist',
    );
    expect(existsSync('/nonexistent')).toBe(false);
    const missing = join(ws.root, 'missing');
    await expectRefused(
      ws.project,
      ['--dir', '../missing', '--dry-run'],
      `--dir "../missing" is invalid: ${missing} does not exist`,
    );
  });

  it('refuses a file, and a path below a file', async () => {
    const file = join(ws.root, 'notes.txt');
    writeFileSync(file, 'notes\n');
    await expectRefused(ws.project, ['--dir', file], `--dir "${file}" is invalid: ${file} is a file, not a directory`);
    await expectRefused(
      ws.project,
      ['--dir', `${file}/sub`],
      `--dir "${file}/sub" is invalid: ${file}/sub does not exist`,
    );
  });

  it('refuses a directory with neither PROJECT nor api/, given by --dir or as the current directory', async () => {
    const rule = `${ws.project} is not a kubeforge project: it has neither a PROJECT file nor an api/ directory`;
    await expectRefused(ws.root, ['--dir', 'guestbook'], `--dir "guestbook" is invalid: ${rule}`);
    mkdirSync(join(ws.project, 'src'));
    writeFileSync(join(ws.project, 'api'), 'a file, not the api/ directory\n');
    await expectRefused(ws.project, [], `not inside a kubeforge project: ${rule}`);
  });

  it('generates from a directory with only api/ (types outside a project, group from +groupName)', async () => {
    mkdirSync(join(ws.project, 'api/v1'), { recursive: true });
    cpSync(join(CRD_FIXTURES, 'guestbook.types.ts'), join(ws.project, 'api/v1/guestbook.types.ts'));
    const run = await runCli(ws.root, ['manifests', '--dir', 'guestbook']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('CREATE config/crd/bases/webapp.example.com_guestbooks.yaml');
  });
});
