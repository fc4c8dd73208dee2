import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INIT_ARGS, readTree, runCli, useWorkspace, treeDigest } from './cli-harness.js';

const api = (...flags: string[]) => ['create', 'api', '--yes', ...flags];
const GUESTBOOK = ['--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook'];

describe('bad input: clear error naming the flag and the rule, exit code ≠ 0, nothing written', () => {
  const ws = useWorkspace('bad-input', { once: true });
  beforeAll(async () => {
    expect((await runCli(ws.project, INIT_ARGS)).code).toBe(0);
    expect((await runCli(ws.project, api(...GUESTBOOK))).code).toBe(0);
  });

  /** A new empty folder in the workspace, for commands that must run outside the project. */
  async function emptyDir(name: string): Promise<string> {
    const path = join(ws.root, name);
    await mkdir(path);
    return path;
  }

  async function expectRejected(cwd: string, args: string[], message: RegExp): Promise<void> {
    const before = await treeDigest(cwd);
    const run = await runCli(cwd, args);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await treeDigest(cwd)).toBe(before);
  }

  it('rejects a group that is not a DNS-1123 subdomain', () =>
    expectRejected(
      ws.project,
      api('--group', 'Web_App', '--version', 'v1', '--kind', 'Shop'),
      /--group "Web_App" is invalid: must be a DNS-1123 subdomain/,
    ));

  it('rejects a version that is not v<N>[alpha|beta<N>]', () =>
    expectRejected(
      ws.project,
      api('--group', 'webapp', '--version', 'version1', '--kind', 'Shop'),
      /--version "version1" is invalid: must look like v<N>/,
    ));

  it('rejects a kind that is not PascalCase', () =>
    expectRejected(
      ws.project,
      api('--group', 'webapp', '--version', 'v1', '--kind', 'guestBook'),
      /--kind "guestBook" is invalid: must be PascalCase/,
    ));

  it('rejects a reserved kind', () =>
    expectRejected(
      ws.project,
      api('--group', 'webapp', '--version', 'v1', '--kind', 'Promise'),
      /--kind "Promise" is invalid: "Promise" is reserved/,
    ));

  it('rejects a plural that is not a lower-case DNS-1123 label', () =>
    expectRejected(
      ws.project,
      api('--group', 'webapp', '--version', 'v1', '--kind', 'Shop', '--plural', 'Shops'),
      /--plural "Shops" is invalid: must be a DNS-1123 label/,
    ));

  it('rejects a boolean flag that is neither true nor false', () =>
    expectRejected(
      ws.project,
      api('--group', 'webapp', '--version', 'v1', '--kind', 'Shop', '--namespaced=maybe'),
      /--namespaced \[bool\]' argument 'maybe' is invalid\. must be true or false/,
    ));

  it('rejects the same group/version/kind created twice', () =>
    expectRejected(
      ws.project,
      api(...GUESTBOOK),
      /Guestbook webapp\.example\.com\/v1 already exists[\s\S]*hint: pass --force/,
    ));

  it('rejects a second controller for a kind', () =>
    expectRejected(
      ws.project,
      api('--group', 'webapp', '--version', 'v2', '--kind', 'Guestbook', '--controller'),
      /--controller: Guestbook already has a controller/,
    ));

  it('rejects a scope that differs from the other versions of the kind', () =>
    expectRejected(
      ws.project,
      api('--group', 'webapp', '--version', 'v2', '--kind', 'Guestbook', '--namespaced=false'),
      /--namespaced=false conflicts with Guestbook v1, which is namespaced/,
    ));

  it('rejects missing required flags when there is no terminal', () =>
    expectRejected(
      ws.project,
      ['create', 'api', '--group', 'webapp', '--version', 'v1'],
      /--kind is required\n\s+hint: pass it, e\.g\. --kind Guestbook \(no terminal to ask on\)/,
    ));

  it('rejects an invalid domain', async () =>
    expectRejected(
      await emptyDir('empty-domain'),
      ['init', '--domain', 'Example.COM', '--yes'],
      /--domain "Example\.COM" is invalid: must be a DNS-1123 subdomain/,
    ));

  it('rejects a directory name that cannot be a project name unless --project-name is given', async () => {
    const odd = await emptyDir('My Operator');
    await expectRejected(
      odd,
      ['init', '--domain', 'example.com', '--yes'],
      /the directory name "My Operator" cannot be the project name[\s\S]*--project-name/,
    );
    await expectRejected(
      odd,
      ['init', '--domain', 'example.com', '--project-name', 'My_Op', '--yes'],
      /--project-name "My_Op" is invalid/,
    );
  });

  it('rejects an unknown license', async () =>
    expectRejected(
      await emptyDir('license'),
      ['init', '--domain', 'example.com', '--license', 'mit'],
      /--license <license>' argument 'mit' is invalid\. Allowed choices are apache2, none/,
    ));

  it('rejects a --kubeforge-path without kubeforge', async () =>
    expectRejected(
      await emptyDir('path'),
      ['init', '--domain', 'example.com', '--kubeforge-path', '..'],
      /--kubeforge-path "\.\." is invalid: .* has no package\.json of kubeforge/,
    ));

  it('refuses init in a non-empty directory without --force', async () => {
    const busy = await emptyDir('busy');
    await writeFile(join(busy, 'notes.txt'), 'mine');
    await expectRejected(busy, ['init', '--domain', 'example.com'], /busy is not empty \(notes\.txt\)[\s\S]*--force/);
  });

  it('refuses init in an existing project without --force', () =>
    expectRejected(ws.project, ['init', '--domain', 'example.com'], /is already a kubeforge project/));

  it('says clearly when a command runs outside a project', async () =>
    expectRejected(
      await emptyDir('outside'),
      api(...GUESTBOOK),
      /not inside a kubeforge project \(no PROJECT file found in .*outside\)/,
    ));

  it('reports a malformed PROJECT with file and line', async () => {
    const broken = await emptyDir('broken');
    await writeFile(
      join(broken, 'PROJECT'),
      'layout: kubeforge.io/v1\ndomain: example.com\nprojectName: x\nresources: {}\n',
    );
    await expectRejected(broken, api(...GUESTBOOK), /PROJECT is invalid:\n\s+.*PROJECT:4: resources must be a list/);
  });

  it('prints the cause chain of an unexpected failure, and the stack only with --debug', async () => {
    const odd = await emptyDir('odd');
    expect((await runCli(odd, INIT_ARGS)).code).toBe(0);
    await rm(join(odd, 'hack/boilerplate.ts.txt'));
    await mkdir(join(odd, 'hack/boilerplate.ts.txt'));
    const plain = await runCli(odd, api(...GUESTBOOK));
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^Error: cannot read .*boilerplate\.ts\.txt\n\s+caused by: EISDIR/);
    expect(plain.stderr).toContain('(run with --debug for the stack trace)');
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await runCli(odd, [...api(...GUESTBOOK), '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
    expect(Object.keys(await readTree(odd)).filter((path) => path.startsWith('api/'))).toEqual([]);
  });
});
