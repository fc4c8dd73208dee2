import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, scaffoldInstalledProject, sh, useWorkspace } from './cli-harness.js';
import { oldLayoutTemplates, OLD_VERSION } from './old-layout.js';

const TEN_MINUTES = 600_000;

// A user's project, installed against this checkout, with edits of their own, taken through
// `kubeforge upgrade` from the synthetic old layout and `kubeforge alpha generate` in place (the
// CLI run as users run it), then built, linted and tested against a real control plane.
describe('a project through upgrade and alpha generate', () => {
  const ws = useWorkspace('lifecycle-e2e', { once: true });
  const kubeforge = (args: string[]) => sh(ws.project, process.execPath, [CLI, ...args]);
  const file = (path: string) => join(ws.project, path);

  beforeAll(async () => {
    await scaffoldInstalledProject(ws.project, [
      ['create', 'api', '--group', 'webapp', '--version', 'v1', '--kind', 'Guestbook'],
    ]);
    const controller = await readFile(file('src/controllers/guestbook.controller.ts'), 'utf8');
    expect(controller).toContain('    return Result.done();\n');
    await writeFile(
      file('src/controllers/guestbook.controller.ts'),
      controller.replace('    return Result.done();\n', '    // reconciled by my code\n    return Result.done();\n'),
    );
    const dockerfile = await readFile(file('Dockerfile'), 'utf8');
    await writeFile(file('Dockerfile'), dockerfile.replace('WORKDIR /workspace\n', 'WORKDIR /build\n'));
    await mkdir(file('src/lib'));
    await writeFile(file('src/lib/labels.ts'), "export const TEAM_LABEL = 'example.com/team';\n");
  }, TEN_MINUTES);

  it('upgrades from an old layout and regenerates in place, keeping the edits', { timeout: TEN_MINUTES }, async () => {
    const old = await oldLayoutTemplates(join(ws.root, 'old-templates'));
    const upgrade = await kubeforge(['upgrade', '--from', OLD_VERSION, '--from-templates', old]);
    expect(upgrade).toMatch(/^MERGE +Dockerfile$/m);
    expect(await readFile(file('Dockerfile'), 'utf8')).toContain('WORKDIR /build\n');
    // alpha generate keeps the user's code; the Dockerfile is scaffold-owned: replaced, and said so.
    const generate = await kubeforge(['alpha', 'generate']);
    expect(generate).toMatch(/^note: replaced: your edits to these scaffold-owned files .*: Dockerfile$/m);
    expect(await readFile(file('Dockerfile'), 'utf8')).toContain('WORKDIR /workspace\n');
    expect(await readFile(file('src/controllers/guestbook.controller.ts'), 'utf8')).toContain('reconciled by my code');
    expect(await readFile(file('src/lib/labels.ts'), 'utf8')).toContain('TEAM_LABEL');
  });

  it(
    'still builds, lints and passes its controller tests against a real control plane',
    { timeout: TEN_MINUTES },
    async () => {
      await sh(ws.project, 'npm', ['run', 'typecheck']);
      await sh(ws.project, 'npm', ['run', 'lint']);
      const output = await sh(ws.project, 'npm', ['test']);
      expect(output).toMatch(/Tests\s+\d+ passed/);
      expect(output).not.toMatch(/failed/);
    },
  );
});
