/**
 * Where `kubeforge upgrade` finds the templates of the version a project was scaffolded with: a
 * folder given with --from-templates, or the `templates/` folder of the kubeforge package of that
 * version, fetched once with `npm pack kubeforge@<version>` into
 * `${XDG_CACHE_HOME:-~/.cache}/kubeforge/layouts/<version>/templates`. Every published kubeforge
 * ships its templates, so the base of the merge is there after `npm update kubeforge` too.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../errors.js';

const execFileAsync = promisify(execFile);

/** A templates folder has one folder per command; `init/` is the one every project used. */
function isTemplatesFolder(dir: string): boolean {
  return existsSync(join(dir, 'init', 'src', 'main.ts.hbs'));
}

/** The --from-templates folder, checked. */
export function givenTemplates(cwd: string, given: string): string {
  const dir = resolve(cwd, given);
  if (!isTemplatesFolder(dir)) {
    throw new UserError(
      `--from-templates ${given}: ${dir} is not a kubeforge templates folder (no init/src/main.ts.hbs)`,
      {
        hint: 'pass the templates/ folder of the kubeforge version that scaffolded the project (e.g. from its package)',
      },
    );
  }
  return dir;
}

/** The templates of kubeforge `version`, from the cache or fetched from the npm registry. */
export async function publishedTemplates(version: string): Promise<string> {
  const cached = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kubeforge', 'layouts', version);
  const templates = join(cached, 'package', 'templates');
  if (isTemplatesFolder(templates)) return templates;
  const work = await mkdtemp(join(tmpdir(), 'kubeforge-layout-'));
  try {
    const { stdout } = await execFileAsync('npm', ['pack', `kubeforge@${version}`, '--pack-destination', work]);
    const tarball = join(work, stdout.trim().split('\n').pop() ?? '');
    await execFileAsync('tar', ['-xzf', tarball, '-C', work, 'package/templates']);
    await mkdir(cached, { recursive: true });
    await rm(join(cached, 'package'), { recursive: true, force: true });
    await rename(join(work, 'package'), join(cached, 'package'));
  } catch (error) {
    throw new UserError(`--from ${version}: cannot get the templates of kubeforge ${version} (npm pack failed)`, {
      hint: 'pass --from-templates <dir> with the templates/ folder of that version (a checkout or its package)',
      cause: error,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (!isTemplatesFolder(templates)) {
    throw new UserError(`--from ${version}: the kubeforge ${version} package has no templates folder`);
  }
  return templates;
}
