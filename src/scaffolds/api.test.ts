import { describe, expect, it } from 'vitest';
import { parseProject, type Project } from '../project/index.js';
import { memoryTree } from '../testing/tree.js';
import { scaffoldApi, type ApiOptions } from './api.js';
import { scaffoldInit } from './init.js';

const guestbook: ApiOptions = {
  group: 'webapp',
  version: 'v1',
  kind: 'Guestbook',
  plural: 'guestbooks',
  namespaced: true,
  resource: true,
  controller: undefined,
  force: false,
};

async function initialisedTree() {
  const tree = memoryTree();
  const { project } = await scaffoldInit(tree, {
    domain: 'example.com',
    projectName: 'guestbook',
    namespaced: false,
    license: 'none',
    owner: 'me',
    year: 2026,
    kubeforgeDependency: '^0.1.0',
    force: false,
  });
  await tree.commit();
  return { tree, project };
}

describe('create api scaffold', () => {
  it('records the resource in PROJECT and registers its controller at the markers', async () => {
    const { tree, project } = await initialisedTree();
    const { project: updated, notes } = await scaffoldApi(tree, project, guestbook);
    expect(notes).toEqual([]);
    expect(updated.resources).toEqual(
      [
        {
          ...guestbook,
          domain: 'example.com',
          controller: true,
          path: 'api/v1',
          resource: undefined,
          force: undefined,
        },
      ].map(({ resource: _r, force: _f, ...rest }) => rest),
    );
    expect(parseProject(tree.read('PROJECT') as string)).toEqual(updated);
    expect(tree.read('src/main.ts')).toContain(
      "import { setupGuestbookController } from './controllers/guestbook.controller.js';\n// +kubeforge:scaffold:imports",
    );
    expect(tree.read('api/v1/guestbook.types.ts')).toContain("group: 'webapp.example.com'");
  });

  it('registers the controller with ts-morph when the user removed the markers', async () => {
    const { tree, project } = await initialisedTree();
    const main = (tree.read('src/main.ts') as string).replace(/^\/\/ \+kubeforge:scaffold:\w+\n/gm, '');
    tree.write('src/main.ts', main);
    await scaffoldApi(tree, project, guestbook);
    const edited = tree.read('src/main.ts') as string;
    expect(edited).toContain("import { setupGuestbookController } from './controllers/guestbook.controller.js';");
    expect(edited).toMatch(/setupGuestbookController\(mgr\);\n\nawait mgr\.start\(signalHandler\(\)\);/);
    expect(tree.changes().find((change) => change.path === 'src/main.ts')?.detail).toBe(
      'edited with ts-morph (no scaffold markers)',
    );
  });

  it('tells the user what to add where a kustomization lost its marker', async () => {
    const { tree, project } = await initialisedTree();
    tree.write('config/samples/kustomization.yaml', 'resources: []\n');
    const { notes } = await scaffoldApi(tree, project, guestbook);
    expect(notes).toEqual([
      'config/samples/kustomization.yaml has no +kubeforge:scaffold:manifestskustomizesamples marker; add yourself:\n    - webapp_v1_guestbook.yaml',
    ]);
  });

  it('stages nothing when the request conflicts with PROJECT', async () => {
    const { tree, project } = await initialisedTree();
    const withGuestbook: Project = (await scaffoldApi(tree, project, guestbook)).project;
    await tree.commit();
    const fresh = memoryTree(
      Object.fromEntries(['PROJECT', 'src/main.ts'].map((path) => [path, tree.read(path) as string])),
    );
    await expect(scaffoldApi(fresh, withGuestbook, guestbook)).rejects.toThrow(/already exists/);
    await expect(
      scaffoldApi(fresh, withGuestbook, { ...guestbook, resource: false, controller: false }),
    ).rejects.toThrow(/leaves nothing to create/);
    await expect(
      scaffoldApi(fresh, withGuestbook, { ...guestbook, version: 'v2', kind: 'Shop', resource: false }),
    ).rejects.toThrow(/--resource=false: Shop webapp\.example\.com\/v2 is not in PROJECT/);
    expect(fresh.changes()).toEqual([]);
  });
});
