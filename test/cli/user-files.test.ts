import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { INIT_ARGS, runCli, treeDigest, useWorkspace } from './cli-harness.js';

const GUESTBOOK = ['--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook'];
const WEBHOOK = ['create', 'webhook', '--yes', ...GUESTBOOK, '--defaulting'];
const DEV_SCRIPT = { 'dev:webhooks': 'kubeforge run --webhooks' };

describe('edits of files the user owns keep what kubeforge does not know', () => {
  const ws = useWorkspace('user-files');
  const path = (name: string) => join(ws.project, name);
  beforeEach(async () => {
    for (const args of [INIT_ARGS, ['create', 'api', '--yes', ...GUESTBOOK]]) {
      const run = await runCli(ws.project, args);
      expect(run.code, run.stderr).toBe(0);
    }
  });

  it.each([
    ['tabs and no final newline', '\t', ''],
    ['four spaces and a final newline', '    ', '\n'],
  ])('create webhook adds its script to a package.json with %s in the same style', async (_style, indent, end) => {
    const manifest = JSON.parse(await readFile(path('package.json'), 'utf8')) as { scripts: Record<string, string> };
    manifest.scripts['my-script'] = 'echo mine';
    await writeFile(path('package.json'), JSON.stringify(manifest, null, indent) + end);
    const run = await runCli(ws.project, WEBHOOK);
    expect(run.code, run.stderr).toBe(0);
    expect(await readFile(path('package.json'), 'utf8')).toBe(
      JSON.stringify({ ...manifest, scripts: { ...manifest.scripts, ...DEV_SCRIPT } }, null, indent) + end,
    );
  });

  it('create webhook refuses a broken package.json by line and column, and writes nothing', async () => {
    const text = await readFile(path('package.json'), 'utf8');
    await writeFile(path('package.json'), text.replace('"scripts": {', '"scripts": {,'));
    const line = text.split('\n').findIndex((each) => each.includes('"scripts": {')) + 1;
    const column = text.split('\n')[line - 1].indexOf('{') + 2;
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, WEBHOOK);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `Error: package.json:${line}:${column}: not valid JSON: Expected property name or '}'`,
    );
    expect(run.stderr).toContain('hint: fix package.json by hand, then run the command again');
    expect(await treeDigest(ws.project)).toBe(before);
  });

  it('PROJECT keeps keys kubeforge does not know through create api, create webhook and init --force', async () => {
    const edit = async (from: string, to: string) => {
      const text = await readFile(path('PROJECT'), 'utf8');
      expect(text).toContain(from);
      await writeFile(path('PROJECT'), text.replace(from, to));
    };
    await edit('    path: api/v1\n', '    path: api/v1\n    api:\n      crdVersion: v1\n');
    await writeFile(
      path('PROJECT'),
      (await readFile(path('PROJECT'), 'utf8')) + 'plugins:\n  helm.kubebuilder.io/v1-alpha: {}\n',
    );
    const run = async (args: string[]) => {
      const result = await runCli(ws.project, args);
      expect(result.code, result.stderr).toBe(0);
      const written = await readFile(path('PROJECT'), 'utf8');
      expect(written).toMatch(/^ {4}kind: Guestbook\n(?: {4}.*\n)+ {4}api:\n {6}crdVersion: v1\n/m);
      expect(written).toMatch(/\nplugins:\n {2}helm\.kubebuilder\.io\/v1-alpha: \{\}\nresources:\n/);
      return written;
    };
    await run(['create', 'api', '--yes', ...GUESTBOOK, '--force']);
    await run(['create', 'api', '--yes', '--group', 'batch', '--version', 'v1', '--kind', 'Policy']);
    await run(WEBHOOK);
    await edit('      spokes: []\n', '      spokes: []\n      webhookVersion: v1\n');
    for (const args of [
      ['create', 'webhook', '--yes', ...GUESTBOOK, '--programmatic-validation', '--force'],
      [...INIT_ARGS, '--force'],
    ]) {
      expect(await run(args)).toMatch(/^ {6}validation: true\n(?: {6}.*\n)* {6}webhookVersion: v1\n {4}api:\n/m);
    }
  });
});
