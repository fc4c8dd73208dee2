/**
 * `kubeforge edit --plugins helm`: adds to the project what a plugin makes. `helm` writes a Helm
 * chart under dist/chart from PROJECT and the generated manifests under config/; run it again
 * after `create api`, `create webhook` or `manifests` to bring the chart up to date.
 */
import type { Command } from 'commander';
import type { CliIO } from './io.js';
import { UserError } from '../errors.js';
import { reportChanges } from './reporter.js';

const PLUGINS = ['helm'];

export interface EditFlags {
  plugins: string[];
  force: boolean;
  dryRun: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('edit')
    .description('add a plugin to the project: --plugins helm writes a Helm chart to dist/chart')
    .requiredOption('--plugins <names...>', `plugins to run (${PLUGINS.join(', ')})`)
    .option('--force', 'also overwrite files that are yours after the first run (dist/chart/Chart.yaml)', false)
    .option('--dry-run', 'print what would be written and write nothing', false)
    .action(async (flags: EditFlags) => runEdit(flags, io));
}

export async function runEdit(flags: EditFlags, io: CliIO): Promise<void> {
  const names = flags.plugins.flatMap((value) => value.split(',')).filter(Boolean);
  const unknown = names.filter((name) => !PLUGINS.includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UserError(`--plugins ${unknown.join(',') || '""'}: unknown plugin`, {
      hint: `available plugins: ${PLUGINS.join(', ')}`,
    });
  }
  const [{ readProject }, { DiskStore, Tree }, { scaffoldHelmChart, CHART_DIR }] = await Promise.all([
    import('../project/index.js'),
    import('../machinery/index.js'),
    import('../scaffolds/index.js'),
  ]);
  const project = await readProject(io.cwd);
  const tree = new Tree(new DiskStore(io.cwd));
  await scaffoldHelmChart(tree, project, { force: flags.force });
  const changes = flags.dryRun ? tree.changes() : await tree.commit();
  reportChanges(io, changes, { dryRun: flags.dryRun });
  if (!flags.dryRun && changes.some((change) => change.action !== 'SKIP')) {
    io.print(
      `Next: helm lint ${CHART_DIR}; helm install ${project.projectName} ${CHART_DIR} -n <namespace> --create-namespace`,
    );
  }
}
