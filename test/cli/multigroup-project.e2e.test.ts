import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaffoldInstalledProject, sh, useWorkspace } from './cli-harness.js';

const TEN_MINUTES = 600_000;
const GROUPS = ['mgalpha', 'mgbeta'];

// A multigroup project made with the CLI (edit --multigroup, then Guestbook in two groups) as
// users get it: npm install, build and lint. (Its CRDs need `kubeforge manifests` to read
// api/<group>/<version>, which it does not yet: see docs/cli.md.)
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
});
