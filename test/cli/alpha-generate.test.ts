import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { templateRenderer } from '../../src/machinery/index.js';
import { KUBEFORGE_VERSION, readProject } from '../../src/project/index.js';
import { lifecycle } from '../../src/scaffolds/index.js';
import { FIXED_DATE, INIT_ARGS, readTree, REPO, runCli, treeDigest, useWorkspace } from './cli-harness.js';

const GOLDEN = fileURLToPath(new URL('../../fixtures/golden/guestbook/', import.meta.url));

async function run(cwd: string, args: string[]) {
  const result = await runCli(cwd, args);
  expect(result.code, `kubeforge ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

describe('kubeforge alpha generate', () => {
  const ws = useWorkspace('alpha-generate');

  it('re-generating the golden project gives exactly the golden project', async () => {
    await cp(GOLDEN, ws.project, { recursive: true });
    await run(ws.project, ['alpha', 'generate', '--output-dir', '../regenerated']);
    expect(await readTree(join(ws.root, 'regenerated'))).toEqual(await readTree(GOLDEN));
  });

  it('re-runs init, edit --multigroup, create api (own, other group, built-in kind) and create webhook with conversion', async () => {
    for (const args of [
      INIT_ARGS,
      ['edit', '--multigroup'],
      ['create', 'api', '--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook', '--yes'],
      ['create', 'api', '--group', 'webapp', '--version', 'v2', '--kind', 'Guestbook', '--controller=false', '--yes'],
      ['create', 'api', '--group', 'ship', '--version', 'v1', '--kind', 'Guestbook', '--namespaced=false', '--yes'],
      ['create', 'api', '--group', 'apps', '--version', 'v1', '--kind', 'Deployment', '--resource=false', '--yes'],
      [
        ...['create', 'webhook', '--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook', '--yes'],
        ...['--defaulting', '--programmatic-validation', '--conversion', '--spoke', 'v2'],
      ],
      ['create', 'webhook', '--group', 'apps', '--version', 'v1', '--kind', 'Deployment', '--yes', '--defaulting'],
    ])
      await run(ws.project, args);
    await run(ws.project, ['alpha', 'generate', '--output-dir', join(ws.root, 'regenerated')]);
    const files = await readTree(ws.project);
    expect(await readTree(join(ws.root, 'regenerated'))).toEqual(files);
    // Every file of this project is scaffolded: the scaffold rendered from PROJECT alone is all of it.
    const inputs = lifecycle.scaffoldInputsOf((path) => files[path], '', FIXED_DATE.getUTCFullYear());
    const project = await readProject(ws.project);
    const scaffold = await lifecycle.renderScaffold(project, inputs, KUBEFORGE_VERSION, templateRenderer());
    expect(Object.fromEntries([...scaffold].sort(([a], [b]) => a.localeCompare(b)))).toEqual(files);
  });

  it('re-runs create api and create webhook for an external kind from a module of the project', async () => {
    await cp(GOLDEN, ws.project, { recursive: true });
    const certificate = ['--group', 'cert-manager', '--version', 'v1', '--kind', 'Certificate', '--yes'];
    for (const args of [
      ['import', join(REPO, 'fixtures/import/cert-manager-v1-certificates.yaml')],
      [
        ...['create', 'api', ...certificate, '--resource=false', '--make=false'],
        ...['--external-api-path', 'src/imports/cert-manager.io/v1.ts', '--external-api-domain', 'io'],
      ],
      [
        ...['create', 'webhook', ...certificate, '--programmatic-validation'],
        ...['--external-api-path', 'src/imports/cert-manager.io/v1.ts', '--external-api-domain', 'io'],
      ],
    ])
      await run(ws.project, args);
    expect((await readProject(ws.project)).resources[2]).toMatchObject({ external: true, controller: true });
    const files = await readTree(ws.project);
    await run(ws.project, ['alpha', 'generate', '--output-dir', '../regenerated']);
    expect(await readTree(join(ws.root, 'regenerated'))).toEqual(files);
    const inputs = lifecycle.scaffoldInputsOf((path) => files[path], '', FIXED_DATE.getUTCFullYear());
    const scaffold = await lifecycle.renderScaffold(
      await readProject(ws.project),
      inputs,
      KUBEFORGE_VERSION,
      templateRenderer(),
    );
    const external = [...scaffold.keys()].filter((path) => path.includes('certificate'));
    expect(external.length).toBeGreaterThan(1);
    for (const path of external) expect(scaffold.get(path), path).toBe(files[path]);
    expect(scaffold.has('src/imports/cert-manager.io/v1.ts')).toBe(false);
  });

  it('re-runs the plugins PROJECT records: deploy-image with its settings, grafana, helm', async () => {
    await cp(GOLDEN, ws.project, { recursive: true });
    for (const args of [
      [
        ...['create', 'api', '--group', 'example', '--version', 'v1alpha1', '--kind', 'Memcached', '--yes'],
        ...['--plugins', 'deploy-image', '--image', 'memcached:1.6', '--image-container-port', '11211'],
        ...['--run-as-user', '1001', '--image-container-command', 'memcached,-m=64,-v', '--make=false'],
      ],
      ['manifests'],
      ['edit', '--plugins', 'grafana', 'helm'],
    ])
      await run(ws.project, args);
    const project = await readProject(ws.project);
    expect(Object.keys(project.plugins ?? {})).toEqual([
      'deploy-image.kubeforge.io/v1-alpha',
      'grafana.kubeforge.io/v1-alpha',
      'helm.kubeforge.io/v1-alpha',
    ]);
    const files = await readTree(ws.project);
    const out = join(ws.root, 'regenerated');
    const result = await run(ws.project, ['alpha', 'generate', '--output-dir', out]);
    expect(result.stdout).not.toContain('note:');
    expect(await readTree(out)).toEqual(files);
    // The deploy-image kind's files come from the scaffold (its settings), not from the copy of yours.
    const inputs = lifecycle.scaffoldInputsOf((path) => files[path], '', FIXED_DATE.getUTCFullYear());
    const scaffold = await lifecycle.renderScaffold(project, inputs, KUBEFORGE_VERSION, templateRenderer());
    const memcached = [...scaffold.keys()].filter((path) => path.includes('memcached'));
    expect(memcached).toContain('src/controllers/memcached.controller.ts');
    for (const path of memcached) expect(scaffold.get(path), path).toBe(files[path]);
  });

  it('in place: keeps your types, controllers, tests and own files, and puts back the scaffold-owned ones', async () => {
    await cp(GOLDEN, ws.project, { recursive: true });
    const file = (path: string) => join(ws.project, path);
    const edit = async (path: string, from: string, to: string) => {
      const text = await readFile(file(path), 'utf8');
      expect(text).toContain(from);
      await writeFile(file(path), text.replace(from, to));
    };
    await edit(
      'api/v1/guestbook.types.ts',
      'export interface GuestbookSpec {',
      'export interface GuestbookSpec {\n  size: number;',
    );
    await edit(
      'src/controllers/guestbook.controller.ts',
      '    return Result.done();\n',
      '    // mine\n    return Result.done();\n',
    );
    await edit('src/main.ts', 'const mgr', '// my edit of a scaffold-owned file\nconst mgr');
    await edit('PROJECT', 'cliVersion: 0.1.0\n', '');
    await mkdir(file('src/lib'));
    await writeFile(file('src/lib/util.ts'), 'export const mine = 1;\n');
    const yours = await readTree(ws.project);

    const result = await run(ws.project, ['alpha', 'generate']);

    const after = await readTree(ws.project);
    const golden = await readTree(GOLDEN);
    for (const path of ['api/v1/guestbook.types.ts', 'src/controllers/guestbook.controller.ts', 'src/lib/util.ts'])
      expect(after[path], path).toBe(yours[path]);
    expect(after['src/main.ts']).toBe(golden['src/main.ts']);
    expect(after.PROJECT).toBe(golden.PROJECT);
    expect(result.stdout).toMatch(/^UPDATE PROJECT$/m);
    expect(result.stdout).toMatch(/^UPDATE src\/main\.ts$/m);
    expect(result.stdout).toContain('note: replaced: your edits to these scaffold-owned files');
    expect(Object.keys(after).sort()).toEqual(Object.keys(yours).sort());
  });

  it('copies files that are not text byte for byte', async () => {
    await cp(GOLDEN, ws.project, { recursive: true });
    const logo = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80]);
    await mkdir(join(ws.project, 'docs'));
    await writeFile(join(ws.project, 'docs/logo.png'), logo);
    const result = await run(ws.project, ['alpha', 'generate', '--output-dir', '../regenerated']);
    expect(result.stdout).toMatch(/^CREATE docs\/logo\.png \(copied as bytes\)$/m);
    expect(await readFile(join(ws.root, 'regenerated/docs/logo.png'))).toEqual(logo);
  });

  it('refuses a non-empty --output-dir, naming the flag, and writes nothing', async () => {
    await cp(GOLDEN, ws.project, { recursive: true });
    await mkdir(join(ws.root, 'taken'));
    await writeFile(join(ws.root, 'taken', 'file'), 'x');
    const before = await treeDigest(ws.root);
    const result = await runCli(ws.project, ['alpha', 'generate', '--output-dir', '../taken']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--output-dir ../taken:');
    expect(result.stderr).toContain('is not empty');
    expect(await treeDigest(ws.root)).toBe(before);
  });

  it('--dry-run writes nothing', async () => {
    await cp(GOLDEN, ws.project, { recursive: true });
    const before = await treeDigest(ws.root);
    const result = await run(ws.project, ['alpha', 'generate', '--output-dir', '../out', '--dry-run']);
    expect(result.stdout).toMatch(/^CREATE src\/main\.ts$/m);
    expect(await treeDigest(ws.root)).toBe(before);
  });
});
