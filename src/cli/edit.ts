/**
 * `kubeforge edit`: changes project-wide settings after `init`. `--multigroup` switches the layout
 * to one folder per API group (kubebuilder's `edit --multigroup`): APIs created from then on go to
 * `api/<group>/<version>`, their controllers to `src/controllers/<group>/`, and one kind name can
 * be used in two groups. `--plugins helm` writes a Helm chart under dist/chart from PROJECT and the
 * generated manifests under config/; run it again after `create api`, `create webhook` or
 * `manifests` to bring the chart up to date.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { CliIO } from './io.js';
import { UserError } from '../errors.js';
import { reportChanges, reportNotes } from './reporter.js';

const PLUGINS = ['helm', 'grafana'];

export interface EditFlags {
  plugins?: string[];
  multigroup?: boolean;
  force: boolean;
  dryRun: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('edit')
    .description(
      'change the project: --multigroup (a folder per API group), --plugins helm (a Helm chart in dist/chart), --plugins grafana (dashboards in grafana/)',
    )
    .option(
      '--multigroup [bool]',
      'one folder per API group for APIs created from now on (false: back to one)',
      (value) => {
        if (value === 'true') return true;
        if (value === 'false') return false;
        throw new InvalidArgumentError('must be true or false');
      },
    )
    .option('--plugins <names...>', `plugins to run (${PLUGINS.join(', ')})`)
    .option('--force', 'also overwrite files that are yours after the first run (dist/chart/Chart.yaml)', false)
    .option('--dry-run', 'print what would be written and write nothing', false)
    .action(async (flags: EditFlags) => runEdit(flags, io));
}

async function runEdit(flags: EditFlags, io: CliIO): Promise<void> {
  const names = (flags.plugins ?? []).flatMap((value) => value.split(',')).filter(Boolean);
  const unknown = names.filter((name) => !PLUGINS.includes(name));
  if (flags.plugins !== undefined && (unknown.length > 0 || names.length === 0)) {
    throw new UserError(`--plugins ${unknown.join(',') || '""'}: unknown plugin`, {
      hint: `available plugins: ${PLUGINS.join(', ')}`,
    });
  }
  if (flags.plugins === undefined && flags.multigroup === undefined) {
    throw new UserError('nothing to edit: pass --multigroup and/or --plugins helm|grafana');
  }
  const [project, { DiskStore, Tree }, scaffolds] = await Promise.all([
    import('../project/index.js'),
    import('../machinery/index.js'),
    import('../scaffolds/index.js'),
  ]);
  const read = await project.readProject(io.cwd);
  let current = read;
  const tree = new Tree(new DiskStore(io.cwd));
  const notes: string[] = [];
  if (flags.multigroup !== undefined) {
    const result = scaffolds.editLayout(tree, current, { multigroup: flags.multigroup });
    current = result.project;
    notes.push(...result.notes);
  }
  if (names.includes('helm')) {
    await scaffolds.scaffoldHelmChart(tree, current, { force: flags.force });
    current = project.withPluginSettings(current, project.PLUGIN_KEYS.helm, {});
    tree.generate(project.PROJECT_FILE, project.serializeProject(current));
  }
  if (names.includes('grafana')) current = scaffolds.scaffoldGrafana(tree, current);
  const changes = flags.dryRun ? tree.changes() : await tree.commit();
  reportChanges(io, changes, { dryRun: flags.dryRun });
  reportNotes(io, [...project.projectUpgradeNotes(read), ...notes]);
  if (!flags.dryRun && names.includes('helm') && changes.some((change) => change.action !== 'SKIP')) {
    io.print(
      `Next: helm lint ${scaffolds.CHART_DIR}; helm install ${current.projectName} ${scaffolds.CHART_DIR} -n <namespace> --create-namespace`,
    );
  }
}
