import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { templateRenderer } from '../../src/machinery/index.js';
import { parseProject } from '../../src/project/index.js';
import { lifecycle } from '../../src/scaffolds/index.js';
import { oldLayoutTemplates, OLD_VERSION } from './old-layout.js';
import { FIXED_DATE, readTree, runCli, treeDigest, useWorkspace } from './cli-harness.js';

const GOLDEN = fileURLToPath(new URL('../../fixtures/golden/guestbook/', import.meta.url));
const CHECK_NODE = '#!/bin/sh\n# mine now\nnode --version\n';

/** The golden project as the old version scaffolded it (its templates rendered for the golden PROJECT). */
async function writeOldGolden(project: string, templates: string): Promise<void> {
  const golden = await readTree(GOLDEN);
  const inputs = lifecycle.scaffoldInputsOf((path) => golden[path], '', FIXED_DATE.getUTCFullYear());
  const files = lifecycle.withoutAbsentFiles(
    await lifecycle.renderScaffold(
      parseProject(golden.PROJECT),
      inputs,
      OLD_VERSION,
      lifecycle.layoutRenderer(templates),
    ),
  );
  for (const [path, text] of files) {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), text);
  }
}

describe('kubeforge upgrade', () => {
  const ws = useWorkspace('upgrade');
  let templates: string;
  const file = (path: string) => join(ws.project, path);
  const edit = async (path: string, from: string, to: string) => {
    const text = await readFile(file(path), 'utf8');
    expect(text).toContain(from);
    await writeFile(file(path), text.replace(from, to));
  };
  const upgrade = (...args: string[]) => runCli(ws.project, ['upgrade', '--from-templates', templates, ...args]);

  beforeEach(async () => {
    templates = await oldLayoutTemplates(join(ws.root, 'old-templates'));
    await writeOldGolden(ws.project, templates);
    await edit('Dockerfile', 'WORKDIR /workspace\n', 'WORKDIR /build\n');
    await edit(
      'src/controllers/guestbook.controller.ts',
      '    return Result.done();\n',
      '    // mine\n    return Result.done();\n',
    );
    await mkdir(file('src/lib'));
    await writeFile(file('src/lib/util.ts'), 'export const mine = 1;\n');
    // The old init also wrote hack/check-node.sh from a template this version dropped.
    await writeFile(file('hack/check-node.sh'), CHECK_NODE);
  });

  it('moves untouched files to the new version, merges edited ones cleanly and creates new files', async () => {
    const run = await upgrade();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^MERGE +Dockerfile$/m);
    expect(run.stdout).toMatch(/^UPDATE +README\.md$/m);
    expect(run.stdout).toMatch(/^CREATE +config\/network-policy\/allow-webhook-traffic\.yaml$/m);
    expect(run.stdout).toMatch(/^REMOVED +hack\/check-node\.sh \(no longer written by kubeforge 0\.1\.0; kept/m);
    // This version's scaffold of the golden PROJECT, with the user's edits.
    const golden = await readTree(GOLDEN);
    const inputs = lifecycle.scaffoldInputsOf((path) => golden[path], '', FIXED_DATE.getUTCFullYear());
    const scaffold = await lifecycle.renderScaffold(parseProject(golden.PROJECT), inputs, '0.1.0', templateRenderer());
    const fresh = Object.fromEntries(scaffold);
    const expected = {
      ...fresh,
      Dockerfile: fresh.Dockerfile.replace('WORKDIR /workspace\n', 'WORKDIR /build\n'),
      'src/controllers/guestbook.controller.ts': fresh['src/controllers/guestbook.controller.ts'].replace(
        '    return Result.done();\n',
        '    // mine\n    return Result.done();\n',
      ),
      'src/lib/util.ts': 'export const mine = 1;\n',
      'hack/check-node.sh': CHECK_NODE,
    };
    expect(await readTree(ws.project)).toEqual(
      Object.fromEntries(Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))),
    );
  });

  it('a conflict writes nothing, naming the file; --allow-conflicts writes git-style markers', async () => {
    await edit('Makefile', 'IMG ?= controller:v0\n', 'IMG ?= registry.example.com/guestbook:dev\n');
    const before = await treeDigest(ws.project);
    const refused = await upgrade();
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toMatch(/^CONFLICT +Makefile \(1 conflicting hunk\)$/m);
    expect(refused.stderr).toContain('upgrade would leave conflict markers in Makefile: nothing written');
    expect(await treeDigest(ws.project)).toBe(before);

    const allowed = await upgrade('--allow-conflicts', '--from', OLD_VERSION);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('note: resolve the conflict markers');
    expect(await readFile(file('Makefile'), 'utf8')).toMatch(
      /^# Image to build and deploy\.\n<<<<<<< Makefile \(yours\)\nIMG \?= registry\.example\.com\/guestbook:dev\n=======\nIMG \?= controller:latest\n>>>>>>> Makefile \(kubeforge 0\.1\.0\)\n/,
    );
    expect(await readFile(file('Dockerfile'), 'utf8')).toContain('--max-old-space-size=192');
    expect(parseProject(await readFile(file('PROJECT'), 'utf8')).cliVersion).toBe('0.1.0');
  });

  it('--dry-run prints the plan and writes nothing, conflicts included', async () => {
    await edit('Makefile', 'IMG ?= controller:v0\n', 'IMG ?= mine\n');
    const before = await treeDigest(ws.project);
    const run = await upgrade('--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Upgrade ${OLD_VERSION} → 0.1.0: update 2, merge 1, conflict 1, create 1, removed 1.`);
    expect(run.stdout).toContain('Dry run: nothing written.');
    expect(await treeDigest(ws.project)).toBe(before);
  });

  it('--from takes the templates of that version from the cache (where npm pack puts them once)', async () => {
    const cache = join(ws.root, 'cache');
    await oldLayoutTemplates(join(cache, 'kubeforge', 'layouts', OLD_VERSION, 'package', 'templates'));
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    try {
      const run = await runCli(ws.project, ['upgrade', '--from', OLD_VERSION, '--dry-run']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^MERGE +Dockerfile$/m);
      expect(run.stdout).toContain(
        `Upgrade ${OLD_VERSION} → 0.1.0: update 3, merge 1, conflict 0, create 1, removed 1.`,
      );
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });

  it('names a bad --from and a bad --from-templates, and writes nothing', async () => {
    const before = await treeDigest(ws.project);
    const badVersion = await upgrade('--from', 'latest');
    expect(badVersion.stderr).toContain('--from latest: not a version');
    const badTemplates = await runCli(ws.project, ['upgrade', '--from-templates', 'src']);
    expect(badTemplates.stderr).toContain('--from-templates src:');
    expect([badVersion.code, badTemplates.code]).not.toContain(0);
    expect(await treeDigest(ws.project)).toBe(before);
  });
});

describe('a PROJECT written before kubeforge recorded cliVersion', () => {
  const ws = useWorkspace('older-project');

  it('is upgraded in place by the next writing command, with a note printed once', async () => {
    await cp(GOLDEN, ws.project, { recursive: true });
    const golden = await readFile(join(GOLDEN, 'PROJECT'), 'utf8');
    await writeFile(join(ws.project, 'PROJECT'), golden.replace('cliVersion: 0.1.0\n', ''));
    const refused = await runCli(ws.project, ['upgrade']);
    expect(refused.stderr).toContain('PROJECT records no cliVersion: pass --from <version>');
    const create = ['create', 'api', '--group', 'webapp', '--version', 'v2', '--kind', 'Guestbook', '--yes'];
    const first = await runCli(ws.project, [...create, '--make=false']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      'note: PROJECT upgraded in place: it had no cliVersion, now records cliVersion 0.1.0',
    );
    expect(parseProject(await readFile(join(ws.project, 'PROJECT'), 'utf8')).cliVersion).toBe('0.1.0');
    const second = await runCli(ws.project, [
      'create',
      'api',
      '--group',
      'batch',
      '--version',
      'v1',
      '--kind',
      'Job2',
      '--yes',
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toContain('PROJECT upgraded in place');
  });
});
