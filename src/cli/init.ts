/**
 * `kubeforge init`: validates its flags (asking for missing ones on a terminal), refuses a
 * non-empty directory without --force, then stages the new project on a Tree and commits it —
 * or, with --dry-run, only reports what it would write.
 */
import { Option, type Command } from 'commander';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { requireValue, terminalIO, validFlag, type CliIO } from './io.js';
import { reportChanges, reportNotes } from './reporter.js';

/** Files an "empty" directory may already hold. */
const TOLERATED_ENTRIES = new Set(['.git', '.idea', '.vscode', '.DS_Store', 'LICENSE']);

/** The kubeforge package this CLI runs from (the repository checkout, or node_modules/kubeforge). */
const KUBEFORGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface InitFlags {
  domain?: string;
  projectName?: string;
  owner?: string;
  license: 'apache2' | 'none';
  namespaced?: boolean;
  kubeforgeVersion?: string;
  kubeforgePath?: string;
  force: boolean;
  yes: boolean;
  dryRun: boolean;
}

export function register(program: Command, io: CliIO = terminalIO()): void {
  program
    .command('init')
    .description('create a new operator project in the current directory')
    .option('--domain <domain>', 'domain of the API groups: a group "webapp" becomes webapp.<domain>')
    .option('--project-name <name>', 'project name, a DNS-1123 label (default: the directory name)')
    .option('--owner <owner>', 'copyright owner in the license header (default: "The <project> Authors")')
    .addOption(
      new Option('--license <license>', 'license header of scaffolded files')
        .choices(['apache2', 'none'])
        .default('apache2'),
    )
    .option('--namespaced', 'the operator watches one namespace and gets a Role instead of a ClusterRole')
    .addOption(
      new Option('--kubeforge-version <range>', 'kubeforge version range for package.json').conflicts('kubeforgePath'),
    )
    .option('--kubeforge-path <dir>', 'depend on a local kubeforge checkout (file: dependency)')
    .option('--force', 'scaffold into a non-empty directory, overwriting existing files', false)
    .option('--yes', 'never prompt: fail when a required flag is missing', false)
    .option('--dry-run', 'print what would be written and write nothing', false)
    .action(async (flags: InitFlags) => runInit(flags, io));
}

async function runInit(flags: InitFlags, io: CliIO): Promise<void> {
  const { readProject, checkDomain, checkProjectName, PROJECT_FILE } = await import('../project/index.js');
  const dir = io.cwd;
  const existing = existsSync(join(dir, PROJECT_FILE)) ? await readProject(dir) : undefined;
  if (!flags.force) refuseNonEmpty(dir, existing !== undefined);

  const domain = await requireValue(
    io,
    {
      flag: '--domain',
      value: flags.domain ?? existing?.domain,
      yes: flags.yes,
      question: 'Domain of your API groups (a group "webapp" becomes webapp.<domain>):',
      example: 'example.com',
    },
    checkDomain,
  );
  const projectName =
    flags.projectName !== undefined
      ? validFlag('--project-name', flags.projectName, checkProjectName)
      : (existing?.projectName ?? projectNameFromDirectory(dir, checkProjectName));
  const kubeforgeDependency = kubeforgeDependencyOf(flags, dir);

  const [{ DiskStore, Tree }, { scaffoldInit }] = await Promise.all([
    import('../machinery/index.js'),
    import('../scaffolds/index.js'),
  ]);
  const tree = new Tree(new DiskStore(dir));
  const { notes } = await scaffoldInit(tree, {
    domain,
    projectName,
    namespaced: flags.namespaced ?? existing?.namespaced ?? false,
    license: flags.license,
    owner: flags.owner ?? `The ${projectName} Authors`,
    year: io.now().getUTCFullYear(),
    kubeforgeDependency,
    force: flags.force,
    existing,
  });
  const changes = flags.dryRun ? tree.changes() : await tree.commit();
  reportChanges(io, changes, { dryRun: flags.dryRun });
  reportNotes(io, notes);
  if (!flags.dryRun && !existing) {
    io.print('Next: npm install, then kubeforge create api --group <group> --version v1 --kind <Kind>');
  }
}

function refuseNonEmpty(dir: string, isProject: boolean): void {
  if (isProject) {
    throw new UserError(`${dir} is already a kubeforge project (it has a PROJECT file)`, {
      hint: 'pass --force to scaffold the project files again (existing files are overwritten; PROJECT resources are kept)',
    });
  }
  const entries = existsSync(dir) ? readdirSync(dir).filter((entry) => !TOLERATED_ENTRIES.has(entry)) : [];
  if (entries.length > 0) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
    throw new UserError(`${dir} is not empty (${shown})`, {
      hint: 'run init in an empty directory, or pass --force to scaffold into it (existing files are overwritten)',
    });
  }
}

function projectNameFromDirectory(dir: string, check: (value: string) => string | undefined): string {
  const name = basename(resolve(dir));
  const broken = check(name);
  if (broken) {
    throw new UserError(`the directory name "${name}" cannot be the project name: it ${broken}`, {
      hint: 'pass --project-name, e.g. --project-name guestbook',
    });
  }
  return name;
}

/**
 * The `kubeforge` dependency of the generated package.json: `--kubeforge-version`, a `file:` path
 * from `--kubeforge-path`, or — by default — this kubeforge: its version when installed from a
 * registry, a `file:` path when it runs from a checkout.
 */
function kubeforgeDependencyOf(flags: InitFlags, projectDir: string): string {
  if (flags.kubeforgeVersion !== undefined) {
    return validFlag('--kubeforge-version', flags.kubeforgeVersion, (value) =>
      /^[\w.^~<>=*|+ -]+$/.test(value) && value.trim().length > 0
        ? undefined
        : 'must be an npm version range such as ^0.1.0',
    );
  }
  if (flags.kubeforgePath !== undefined) {
    const root = resolve(projectDir, flags.kubeforgePath);
    if (packageNameAt(root) !== 'kubeforge') {
      throw new UserError(
        `--kubeforge-path "${flags.kubeforgePath}" is invalid: ${root} has no package.json of kubeforge`,
      );
    }
    return `file:${isAbsolute(flags.kubeforgePath) ? root : relativePath(projectDir, root)}`;
  }
  if (KUBEFORGE_ROOT.split(/[\\/]/).includes('node_modules')) {
    return `^${(JSON.parse(readFileSync(join(KUBEFORGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version}`;
  }
  return `file:${resolve(KUBEFORGE_ROOT)}`;
}

function packageNameAt(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** `target` relative to `from`, with forward slashes, as npm writes `file:` dependencies. */
function relativePath(from: string, target: string): string {
  return relative(resolve(from), target).replaceAll('\\', '/') || '.';
}
