/**
 * `create api` refuses a kind that would collide with one PROJECT records: a plural or singular
 * another kind of the group already claims (the apiserver would serve only one of the two CRDs),
 * a kind differing from another only in case (same lower-case names and files), and one kind name
 * in two groups (files are named by kind). A refused command leaves the project, PROJECT included,
 * byte for byte as it was.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INIT_ARGS, runCli, treeDigest, useWorkspace } from './cli-harness.js';

const api = (group: string, version: string, kind: string, ...flags: string[]) => [
  'create',
  'api',
  '--yes',
  '--group',
  group,
  '--version',
  version,
  '--kind',
  kind,
  ...flags,
];

describe('create api refuses colliding kinds and leaves the project unchanged', () => {
  const ws = useWorkspace('create-collisions', { once: true });
  beforeAll(async () => {
    expect((await runCli(ws.project, INIT_ARGS)).code).toBe(0);
    expect((await runCli(ws.project, api('webapp', 'v1', 'Foo', '--plural', 'bars'))).code).toBe(0);
    expect((await runCli(ws.project, api('webapp', 'v1', 'Guestbook'))).code).toBe(0);
  });

  async function expectRefused(args: string[], message: RegExp, hint: RegExp): Promise<void> {
    const project = await readFile(join(ws.project, 'PROJECT'), 'utf8');
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, args);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(hint);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(join(ws.project, 'PROJECT'), 'utf8')).toBe(project);
    expect(await treeDigest(ws.project)).toBe(before);
  }

  it('refuses a kind whose default plural another kind of the group uses', () =>
    expectRefused(
      api('webapp', 'v1', 'Bar'),
      /--kind Bar: "bars" \(the plural of Bar and the plural of Foo\) is already taken in webapp\.example\.com by Foo webapp\.example\.com\/v1/,
      /serves only one CRD per plural or singular name in a group: choose another --kind or --plural/,
    ));

  it('refuses a --plural another kind of the group uses', () =>
    expectRefused(
      api('webapp', 'v1', 'Journal', '--plural', 'guestbooks'),
      /--kind Journal: "guestbooks" \(the plural of Journal and the plural of Guestbook\) is already taken/,
      /choose another --kind or --plural/,
    ));

  it('refuses a kind whose singular is another kind’s plural', () =>
    expectRefused(
      api('webapp', 'v1', 'Bars', '--plural', 'barz'),
      /--kind Bars: "bars" \(the singular of Bars and the plural of Foo\) is already taken/,
      /choose another --kind$/m,
    ));

  it('refuses a kind that differs from another only in case, in any version', async () => {
    for (const version of ['v1', 'v2']) {
      await expectRefused(
        api('webapp', version, 'GUESTBOOK'),
        /--kind GUESTBOOK: "guestbooks" \(the plural of GUESTBOOK and the plural of Guestbook\) is already taken in webapp\.example\.com by Guestbook webapp\.example\.com\/v1/,
        /kinds that differ only in case share their lower-case resource and file names: choose another --kind/,
      );
    }
  });

  it('refuses a kind already used in another group, whose files it would share', () =>
    expectRefused(
      api('batch', 'v2', 'Foo'),
      /--kind Foo: config\/rbac\/foo_admin_role\.yaml already belongs to Foo webapp\.example\.com\/v1/,
      /files are named by kind, so a kind name belongs to one API group: choose another --kind, or `kubeforge edit --multigroup`/,
    ));

  it('still adds a further version of a kind, which shares its names and controller', async () => {
    const run = await runCli(ws.project, api('webapp', 'v2', 'Foo'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const project = await readFile(join(ws.project, 'PROJECT'), 'utf8');
    expect(project).toMatch(/version: v2\n {4}kind: Foo\n {4}plural: bars\n/);
  });
});
