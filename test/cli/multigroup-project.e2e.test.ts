import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCRDs } from '../../src/envtest/index.js';
import { defineKind, newClient } from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { scaffoldInstalledProject, sh, useWorkspace } from './cli-harness.js';

const TEN_MINUTES = 600_000;
const GROUPS = ['mgalpha', 'mgbeta'];

// A multigroup project made with the CLI (edit --multigroup, then Guestbook in two groups) as
// users get it: npm install, build, lint, one CRD per group from api/<group>/<version>, its own tests.
describe('generated multigroup project with one kind in two groups', () => {
  const ws = useWorkspace('multigroup-project', { once: true });
  beforeAll(
    () =>
      scaffoldInstalledProject(ws.project, [
        ['edit', '--multigroup'],
        ...GROUPS.map((group) => ['create', 'api', '--group', group, '--version', 'v1', '--kind', 'Guestbook']),
      ]),
    TEN_MINUTES,
  );

  it(
    'builds and lints: both controllers and their setup functions compile side by side',
    { timeout: TEN_MINUTES },
    async () => {
      await sh(ws.project, 'npm', ['run', 'build']);
      await sh(ws.project, 'npm', ['run', 'lint']);
      const main = await readFile(join(ws.project, 'src/main.ts'), 'utf8');
      for (const group of ['Mgalpha', 'Mgbeta']) expect(main).toContain(`setup${group}GuestbookController(mgr);`);
    },
  );

  it(
    'generates one CRD per group from api/<group>/<version>, both served by the apiserver, and passes its own tests',
    { timeout: TEN_MINUTES },
    async () => {
      const output = await sh(ws.project, 'npm', ['test']);
      for (const group of GROUPS)
        expect(output).toContain(`CREATE config/crd/bases/${group}.example.com_guestbooks.yaml`);
      expect(output).toMatch(/Tests\s+6 passed/);
      await installCRDs(
        testRestConfig(),
        GROUPS.map((group) => join(ws.project, `config/crd/bases/${group}.example.com_guestbooks.yaml`)),
        60_000,
      );
      const namespace = await createTestNamespace('multigroup');
      const client = newClient(testRestConfig(), { qps: -1 });
      for (const group of GROUPS) {
        const kind = defineKind({
          group: `${group}.example.com`,
          version: 'v1',
          kind: 'Guestbook',
          plural: 'guestbooks',
          namespaced: true,
        });
        const created = await client.create(kind, {
          apiVersion: `${group}.example.com/v1`,
          kind: 'Guestbook',
          metadata: { namespace, name: `in-${group}` },
        });
        expect(created.apiVersion).toBe(`${group}.example.com/v1`);
      }
      client.close();
    },
  );
});
