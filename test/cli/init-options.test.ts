import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTree, runCli, useWorkspace } from './cli-harness.js';

const REPO = resolve(fileURLToPath(new URL('../../', import.meta.url)));

describe('init options', () => {
  const ws = useWorkspace('init-options', { name: 'shop' });

  const dependencyOf = async () =>
    (JSON.parse(await readFile(join(ws.project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
      .dependencies.kubeforge;

  it('depends on this checkout by absolute file: path by default', async () => {
    expect((await runCli(ws.project, ['init', '--domain', 'example.com'])).code).toBe(0);
    expect(await dependencyOf()).toBe(`file:${REPO}`);
  });

  it('keeps a relative --kubeforge-path relative to the project', async () => {
    const relativeToProject = relative(ws.project, REPO);
    const run = await runCli(ws.project, ['init', '--domain', 'example.com', '--kubeforge-path', relativeToProject]);
    expect(run.code, run.stderr).toBe(0);
    expect(await dependencyOf()).toBe(`file:${relativeToProject}`);
    expect(relativeToProject.startsWith('../')).toBe(true);
  });

  it('uses --kubeforge-version as given, and refuses it together with --kubeforge-path', async () => {
    expect((await runCli(ws.project, ['init', '--domain', 'example.com', '--kubeforge-version', '~0.2.0'])).code).toBe(
      0,
    );
    expect(await dependencyOf()).toBe('~0.2.0');
    const both = await runCli(join(ws.root), [
      'init',
      '--domain',
      'example.com',
      '--kubeforge-version',
      '1',
      '--kubeforge-path',
      REPO,
    ]);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(
      /option '--kubeforge-version <range>' cannot be used with option '--kubeforge-path <dir>'/,
    );
  });

  it('--namespaced gives the manager a Role and the namespace it runs in', async () => {
    expect((await runCli(ws.project, ['init', '--domain', 'example.com', '--namespaced'])).code).toBe(0);
    const files = await readTree(ws.project);
    expect(files['PROJECT']).toContain('namespaced: true');
    expect(files['config/rbac/role.yaml']).toMatch(/^kind: Role$/m);
    expect(files['config/rbac/role_binding.yaml']).toMatch(/^kind: RoleBinding$/m);
    expect(files['config/manager/manager.yaml']).toContain('- --namespace=$(WATCH_NAMESPACE)');
  });

  it('--license none writes no license header and an UNLICENSED package', async () => {
    expect((await runCli(ws.project, ['init', '--domain', 'example.com', '--license', 'none'])).code).toBe(0);
    const files = await readTree(ws.project);
    expect(files['hack/boilerplate.ts.txt']).toBeUndefined();
    expect(files['src/main.ts'].startsWith('import { exitOnBadInvocation, managerOptionsFromArgs')).toBe(true);
    expect(files['package.json']).toContain('"license": "UNLICENSED"');
  });

  it('--owner names the copyright holder', async () => {
    expect((await runCli(ws.project, ['init', '--domain', 'example.com', '--owner', 'Shop Inc'])).code).toBe(0);
    expect(await readFile(join(ws.project, 'hack/boilerplate.ts.txt'), 'utf8')).toContain('Copyright 2026 Shop Inc.');
  });
});
