/**
 * `kubeforge upgrade`: moves a project to this kubeforge's scaffold with a three-way merge per
 * file of (the scaffold of the version PROJECT records — re-rendered from that version's
 * templates —, this version's scaffold, your files). Untouched files become the new version's,
 * edited ones are merged (`git merge-file`), new files are created, files the new version no
 * longer writes are reported and kept. A conflict writes nothing unless --allow-conflicts.
 */
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { CliIO } from './io.js';
import { reportChanges, reportNotes } from './reporter.js';
import { givenTemplates, publishedTemplates } from './upgrade-layouts.js';

export interface UpgradeFlags {
  from?: string;
  fromTemplates?: string;
  dryRun: boolean;
  allowConflicts: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('upgrade')
    .description("merge this kubeforge's scaffold into the project, keeping your edits (three-way, file by file)")
    .option('--from <version>', 'the kubeforge version that scaffolded the project (default: PROJECT cliVersion)')
    .option('--from-templates <dir>', "that version's templates/ folder (default: fetched with npm pack)")
    .option('--dry-run', 'print the plan and write nothing', false)
    .option(
      '--allow-conflicts',
      'write files with conflict markers where your edits and the new scaffold collide',
      false,
    )
    .action(async (flags: UpgradeFlags) => runUpgrade(flags, io));
}

const LABELS = {
  update: 'UPDATE',
  merge: 'MERGE',
  conflict: 'CONFLICT',
  create: 'CREATE',
  removed: 'REMOVED',
  deleted: 'DELETED',
} as const;

async function runUpgrade(flags: UpgradeFlags, io: CliIO): Promise<void> {
  const [project, { DiskStore, Tree, templateRenderer }, { lifecycle }] = await Promise.all([
    import('../project/index.js'),
    import('../machinery/index.js'),
    import('../scaffolds/index.js'),
  ]);
  const current = await project.readProject(io.cwd);
  const from = fromVersion(flags, current.cliVersion);
  const to = project.KUBEFORGE_VERSION;
  if (from === to && flags.fromTemplates === undefined) {
    io.print(`Nothing to upgrade: the project is kubeforge ${to}'s scaffold (PROJECT cliVersion).`);
    return;
  }
  const oldTemplates = flags.fromTemplates
    ? givenTemplates(io.cwd, flags.fromTemplates)
    : await publishedTemplates(from);

  const yours = (await lifecycle.readProjectFiles(io.cwd)).text;
  const inputs = lifecycle.scaffoldInputsOf((path) => yours.get(path), `^${to}`, io.now().getUTCFullYear());
  const base = lifecycle.withoutAbsentFiles(
    await lifecycle.renderScaffold(current, inputs, from, lifecycle.layoutRenderer(oldTemplates)),
  );
  const target = await lifecycle.renderScaffold(current, inputs, to, templateRenderer());
  // PROJECT is the project's own record: only its cliVersion moves.
  const recorded = yours.get(project.PROJECT_FILE);
  if (recorded !== undefined) base.set(project.PROJECT_FILE, recorded);
  // Files of templates this version dropped: in the old scaffold, as the project has them.
  for (const path of await lifecycle.droppedInitFiles(oldTemplates)) {
    const text = yours.get(path);
    if (text !== undefined && !base.has(path)) base.set(path, text);
  }
  const steps = await lifecycle.planUpgrade(base, target, yours, { from, to }, lifecycle.gitMergeFile);

  for (const step of steps) io.print(`${LABELS[step.action].padEnd(8)} ${step.path}${detailOf(step, to)}`);
  const conflicted = steps.filter((step) => step.action === 'conflict');
  const count = (action: string) => steps.filter((step) => step.action === action).length;
  io.print(
    `Upgrade ${from} → ${to}: update ${count('update')}, merge ${count('merge')}, conflict ${conflicted.length}, create ${count('create')}, removed ${count('removed')}.`,
  );
  if (flags.dryRun) {
    io.print('Dry run: nothing written.');
    return;
  }
  if (conflicted.length > 0 && !flags.allowConflicts) {
    throw new UserError(
      `upgrade would leave conflict markers in ${conflicted.map((step) => step.path).join(', ')}: nothing written`,
      { hint: 'resolve by hand after `kubeforge upgrade --allow-conflicts` (commit first), or look with --dry-run' },
    );
  }
  const tree = new Tree(new DiskStore(io.cwd));
  for (const step of steps) if (step.text !== undefined) tree.write(step.path, step.text, LABELS[step.action]);
  const notes = await lifecycle.rerunPlugins(tree, { ...current, cliVersion: to });
  reportChanges(io, await tree.commit(), { dryRun: false });
  if (conflicted.length > 0) {
    notes.unshift(
      `resolve the conflict markers (<<<<<<< … >>>>>>>) in ${conflicted.map((step) => step.path).join(', ')}`,
    );
  }
  reportNotes(io, notes);
}

function fromVersion(flags: UpgradeFlags, recorded: string | undefined): string {
  const from = flags.from ?? recorded;
  if (from === undefined) {
    throw new UserError(
      'PROJECT records no cliVersion: pass --from <version>, the kubeforge version that scaffolded it',
    );
  }
  if (!/^\d+\.\d+\.\d+([-+][\w.+-]*)?$/.test(from)) {
    throw new UserError(`--from ${from}: not a version (major.minor.patch, as PROJECT cliVersion)`);
  }
  return from;
}

function detailOf(step: { action: string; conflicts?: number }, to: string): string {
  if (step.action === 'conflict') return ` (${step.conflicts} conflicting hunk${step.conflicts === 1 ? '' : 's'})`;
  if (step.action === 'removed') return ` (no longer written by kubeforge ${to}; kept: delete it if nothing uses it)`;
  if (step.action === 'deleted') return ' (you deleted it and the new version changed it: left deleted)';
  return '';
}
