import { describe, expect, it } from 'vitest';
import { readProject } from '../../src/project/index.js';
import { INIT_ARGS, readTree, runCli, useWorkspace, treeDigest } from './cli-harness.js';

const GUESTBOOK = ['create', 'api', '--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook', '--yes'];

describe('idempotence and dry runs', () => {
  const ws = useWorkspace('idempotence');

  it('init run a second time (with --force) reports no change and writes nothing', async () => {
    expect((await runCli(ws.project, INIT_ARGS)).code).toBe(0);
    const before = await treeDigest(ws.project);
    const second = await runCli(ws.project, [...INIT_ARGS, '--force']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^SKIP {3}package\.json \(unchanged\)$/m);
    expect(second.stdout).not.toMatch(/^(CREATE|UPDATE) /m);
    expect(second.stdout).toContain('No changes: everything is already in place.');
    expect(await treeDigest(ws.project)).toBe(before);
  });

  it('create api run a second time (with --force) reports no change and writes nothing', async () => {
    await runCli(ws.project, INIT_ARGS);
    expect((await runCli(ws.project, GUESTBOOK)).code).toBe(0);
    const before = await treeDigest(ws.project);
    const second = await runCli(ws.project, [...GUESTBOOK, '--force']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^SKIP {3}src\/main\.ts \(already present\)$/m);
    expect(second.stdout).not.toMatch(/^(CREATE|UPDATE) /m);
    expect(await treeDigest(ws.project)).toBe(before);
  });

  it('init --force in a project keeps its resources and their registrations', async () => {
    await runCli(ws.project, INIT_ARGS);
    await runCli(ws.project, GUESTBOOK);
    const before = await treeDigest(ws.project);
    const again = await runCli(ws.project, ['init', '--force', '--yes', '--kubeforge-version', '^0.1.0']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes');
    expect(await treeDigest(ws.project)).toBe(before);
  });

  it('--dry-run of init leaves the disk untouched and says what it would create', async () => {
    const run = await runCli(ws.project, [...INIT_ARGS, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^CREATE src\/main\.ts$/m);
    expect(run.stdout).toMatch(/Dry run: would create \d+, update 0, skip 0; nothing written\./);
    expect(await readTree(ws.project)).toEqual({});
  });

  it('--dry-run of create api leaves the disk untouched and reports the updates it would make', async () => {
    await runCli(ws.project, INIT_ARGS);
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, [...GUESTBOOK, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^CREATE api\/v1\/guestbook\.types\.ts$/m);
    expect(run.stdout).toMatch(
      /^UPDATE src\/main\.ts \(inserted at \+kubeforge:scaffold:imports; inserted at \+kubeforge:scaffold:builder\)$/m,
    );
    expect(run.stdout).toMatch(/^UPDATE PROJECT$/m);
    expect(run.stdout).toContain('nothing written');
    expect(await treeDigest(ws.project)).toBe(before);
  });

  it('a second version of a kind adds its types and no second controller', async () => {
    await runCli(ws.project, INIT_ARGS);
    await runCli(ws.project, GUESTBOOK);
    const run = await runCli(ws.project, [
      'create',
      'api',
      '--group',
      'webapp',
      '--version',
      'v2',
      '--kind',
      'Guestbook',
      '--yes',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^CREATE api\/v2\/guestbook\.types\.ts$/m);
    expect(run.stdout).toMatch(/^CREATE config\/samples\/webapp_v2_guestbook\.yaml$/m);
    expect(run.stdout).not.toMatch(/controller/);
    expect(run.stdout).toMatch(/^SKIP {3}config\/crd\/kustomization\.yaml \(already present\)$/m);
    expect(run.stdout).toContain('mark exactly one of them with // +kubebuilder:storageversion');
    const resources = (await readProject(ws.project)).resources;
    expect(resources.map((resource) => [resource.version, resource.controller])).toEqual([
      ['v1', true],
      ['v2', false],
    ]);
  });
});
