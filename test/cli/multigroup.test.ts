import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readProject } from '../../src/project/index.js';
import { INIT_ARGS, runCli, treeDigest, useWorkspace } from './cli-harness.js';

const api = (group: string, kind: string, ...flags: string[]) => [
  'create',
  'api',
  '--group',
  group,
  '--version',
  'v1',
  '--kind',
  kind,
  '--yes',
  ...flags,
];

// kubebuilder's `edit --multigroup`: a folder per API group, so one kind name works in two groups.
describe('edit --multigroup', () => {
  const ws = useWorkspace('multigroup', { once: true });
  const read = (path: string) => readFile(join(ws.project, path), 'utf8');
  const ok = async (args: string[]) => {
    const run = await runCli(ws.project, args);
    expect(run.stderr, args.join(' ')).toBe('');
    expect(run.code).toBe(0);
    return run;
  };

  beforeAll(async () => {
    await ok(INIT_ARGS);
    await ok(api('webapp', 'Legacy'));
  });

  it('records multigroup: true in PROJECT and says where existing APIs stay', async () => {
    const run = await ok(['edit', '--multigroup']);
    expect(run.stdout).toMatch(/UPDATE PROJECT/);
    expect(run.stdout).toMatch(/existing APIs stay where they are \(PROJECT records each path: api\/v1\)/);
    expect(await read('PROJECT')).toMatch(/namespaced: false\nmultigroup: true\nresources:/);
    const again = await runCli(ws.project, ['edit', '--multigroup']);
    expect(again.stdout).toMatch(/SKIP\s+PROJECT \(already multigroup\)/);
  });

  it('puts the same kind in two groups in group folders, with group-named roles and setup functions', async () => {
    await ok(api('webapp', 'Guestbook'));
    await ok(api('shop', 'Guestbook'));
    for (const group of ['webapp', 'shop']) {
      expect(existsSync(join(ws.project, `api/${group}/v1/guestbook.types.ts`)), group).toBe(true);
      expect(existsSync(join(ws.project, `config/samples/${group}_v1_guestbook.yaml`)), group).toBe(true);
      expect(await read(`src/controllers/${group}/guestbook.controller.ts`)).toContain(
        `from '../../../api/${group}/v1/guestbook.types.js';`,
      );
      expect(await read(`config/rbac/${group}_guestbook_admin_role.yaml`)).toContain(
        `name: ${group}-guestbook-admin-role`,
      );
    }
    const main = await read('src/main.ts');
    expect(main).toContain(
      "import { setupWebappGuestbookController } from './controllers/webapp/guestbook.controller.js';",
    );
    expect(main).toContain(
      "import { setupShopGuestbookController } from './controllers/shop/guestbook.controller.js';",
    );
    expect(main).toMatch(/setupWebappGuestbookController\(mgr\);\nsetupShopGuestbookController\(mgr\);/);
    expect(await read('src/controllers/shop/guestbook.controller.ts')).toContain(
      'export function setupShopGuestbookController(mgr: Manager)',
    );
    const rbac = await read('config/rbac/kustomization.yaml');
    expect(rbac).toContain('- shop_guestbook_viewer_role.yaml');
    const project = await readProject(ws.project);
    expect(project.resources.map((resource) => resource.path)).toEqual(['api/v1', 'api/webapp/v1', 'api/shop/v1']);
    // The API created before the switch keeps its single-group files.
    expect(await read('src/controllers/legacy.controller.ts')).toContain("from '../../api/v1/legacy.types.js';");
  });

  it('puts webhooks in src/webhooks/<group>/<version>', async () => {
    await ok([
      'create',
      'webhook',
      '--group',
      'shop',
      '--version',
      'v1',
      '--kind',
      'Guestbook',
      '--defaulting',
      '--yes',
    ]);
    const webhook = await read('src/webhooks/shop/v1/guestbook.webhook.ts');
    expect(webhook).toContain("from '../../../../api/shop/v1/guestbook.types.js';");
    expect(webhook).toContain('export function setupShopGuestbookV1Webhook(mgr: Manager)');
    expect(await read('src/main.ts')).toContain(
      "import { setupShopGuestbookV1Webhook } from './webhooks/shop/v1/guestbook.webhook.js';",
    );
  });

  it('converts a kind of one group through its hub, with group-named folders and patch', async () => {
    await ok(['create', 'api', '--group', 'shop', '--version', 'v2', '--kind', 'Guestbook', '--yes']);
    await ok([
      'create',
      'webhook',
      ...['--group', 'shop', '--version', 'v1', '--kind', 'Guestbook', '--conversion', '--spoke', 'v2', '--yes'],
    ]);
    const converter = await read('src/webhooks/shop/v2/guestbook.converter.ts');
    expect(converter).toContain("from '../../../../api/shop/v1/guestbook.types.js';");
    expect(converter).toContain("from '../../../../api/shop/v2/guestbook.types.js';");
    const hub = await read('src/webhooks/shop/v1/guestbook.conversion.ts');
    expect(hub).toContain("import { guestbookV2Converter } from '../v2/guestbook.converter.js';");
    expect(await read('config/default/shop_guestbooks_conversion_patch.yaml')).toContain(
      'name: guestbooks.shop.example.com',
    );
    expect(await read('config/default/kustomization.yaml')).toContain('- path: shop_guestbooks_conversion_patch.yaml');
  });

  it('init --force keeps multigroup and registers the group-named setup functions again', async () => {
    await ok([...INIT_ARGS, '--force']);
    expect(await read('PROJECT')).toMatch(/\nmultigroup: true\n/);
    const main = await read('src/main.ts');
    for (const setup of [
      'setupWebappGuestbookController',
      'setupShopGuestbookController',
      'setupShopGuestbookV1Webhook',
    ])
      expect(main, setup).toContain(`${setup}(mgr);`);
  });

  it('refuses the same kind in two groups without multigroup, pointing at edit --multigroup', async () => {
    await ok(['edit', '--multigroup=false']);
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, api('store', 'Legacy'));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(
      /--kind Legacy: api\/v1\/legacy\.types\.ts already belongs to Legacy webapp\.example\.com\/v1[\s\S]*kubeforge edit --multigroup/,
    );
    expect(await treeDigest(ws.project)).toBe(before);
  });
});
