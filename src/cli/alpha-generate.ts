/**
 * `kubeforge alpha generate`: re-scaffolds a project from its PROJECT with this kubeforge —
 * `init`, every `create api` and `create webhook` PROJECT records (built-in and external kinds,
 * multigroup, conversion spokes), then every recorded plugin — and puts the user's files back
 * (kubebuilder's `alpha generate`). With --output-dir the whole project is written there; without,
 * the project's scaffold-owned files are replaced in place.
 */
import type { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { CliIO } from './io.js';
import { reportChanges, reportNotes } from './reporter.js';

export interface AlphaGenerateFlags {
  inputDir: string;
  outputDir?: string;
  dryRun: boolean;
}

export function register(program: Command, io: CliIO): void {
  const alpha = program.command('alpha').description('experimental commands (kubebuilder alpha)');
  alpha
    .command('generate')
    .description("re-scaffold the project from PROJECT with this kubeforge's layout, keeping your code")
    .option('--input-dir <dir>', 'the project to re-scaffold (its PROJECT is read)', '.')
    .option('--output-dir <dir>', 'write the whole regenerated project there (default: in place)')
    .option('--dry-run', 'print what would be written and write nothing', false)
    .action(async (flags: AlphaGenerateFlags) => runAlphaGenerate(flags, io));
}

async function runAlphaGenerate(flags: AlphaGenerateFlags, io: CliIO): Promise<void> {
  const input = resolve(io.cwd, flags.inputDir);
  const output = flags.outputDir === undefined ? input : resolve(io.cwd, flags.outputDir);
  if (output !== input) refuseNonEmptyOutput(output, flags.outputDir ?? '');
  const [project, { DiskStore, Tree, templateRenderer }, { lifecycle }] = await Promise.all([
    import('../project/index.js'),
    import('../machinery/index.js'),
    import('../scaffolds/index.js'),
  ]);
  const current = await project.readProject(input);
  const { text: yours, binary } = await lifecycle.readProjectFiles(input);
  const inputs = lifecycle.scaffoldInputsOf(
    (path) => yours.get(path),
    `^${project.KUBEFORGE_VERSION}`,
    io.now().getUTCFullYear(),
  );
  const scaffold = await lifecycle.renderScaffold(current, inputs, project.KUBEFORGE_VERSION, templateRenderer());
  const { files, replaced } = lifecycle.regeneratedProject(scaffold, yours);

  const tree = new Tree(new DiskStore(output));
  for (const [path, text] of files) {
    if (output !== input || yours.get(path) !== text) tree.write(path, text);
  }
  const notes = await lifecycle.rerunPlugins(tree, { ...current, cliVersion: project.KUBEFORGE_VERSION });
  const changes = flags.dryRun ? tree.changes() : await tree.commit();
  // Files that are not text (no scaffold writes one) are copied as they are.
  for (const path of output === input ? [] : binary) {
    if (!flags.dryRun) {
      await mkdir(dirname(join(output, path)), { recursive: true });
      await copyFile(join(input, path), join(output, path));
    }
    changes.push({ path, action: 'CREATE', detail: 'copied as bytes' });
  }
  reportChanges(io, changes, { dryRun: flags.dryRun });
  if (replaced.length > 0) {
    notes.unshift(
      `${output === input ? 'replaced' : 'not copied'}: your edits to these scaffold-owned files (the fresh scaffold's are written; compare with git diff): ${replaced.join(', ')}`,
    );
  }
  reportNotes(io, notes);
  if (!flags.dryRun && output !== input) {
    io.print(`Next: cd ${relative(io.cwd, output) || '.'} && npm install && npm run manifests && npm test`);
  }
}

function refuseNonEmptyOutput(output: string, given: string): void {
  if (existsSync(output) && readdirSync(output).length > 0) {
    throw new UserError(`--output-dir ${given}: ${output} is not empty`, {
      hint: 'pass a new or empty folder, or leave --output-dir out to re-scaffold the project in place',
    });
  }
}
