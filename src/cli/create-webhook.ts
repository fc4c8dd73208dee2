/**
 * `kubeforge create webhook`: adds defaulting and/or validating admission webhooks, or
 * hub-and-spoke version conversion, to an API PROJECT already records. Flags are validated (or
 * asked for on a terminal) before anything is staged; nothing is written unless all succeeds.
 */
import type { Command } from 'commander';
import { askGroupVersionKind } from './create.js';
import { terminalIO, validFlag, type CliIO } from './io.js';
import { reportChanges, reportNotes } from './reporter.js';

export interface CreateWebhookFlags {
  group?: string;
  version?: string;
  kind?: string;
  externalApiPath?: string;
  externalApiDomain?: string;
  defaulting: boolean;
  programmaticValidation: boolean;
  conversion: boolean;
  spoke: string[];
  force: boolean;
  yes: boolean;
  dryRun: boolean;
}

/** Adds `webhook` to the `create` command. */
export function register(create: Command, io: CliIO = terminalIO()): Command {
  return create
    .command('webhook')
    .description('scaffold defaulting/validating admission webhooks or version conversion for an API')
    .option('--group <group>', 'API group without the domain, as given to create api')
    .option('--version <version>', 'API version the webhooks serve (with --conversion: the hub, i.e. storage, version)')
    .option('--kind <kind>', 'kind, PascalCase, e.g. Guestbook')
    .option(
      '--external-api-path <module>',
      'a kind defined elsewhere: its module (kubeforge import output or an npm package), as for create api',
    )
    .option('--external-api-domain <domain>', "with --external-api-path: completes --group to the kind's API group")
    .option('--defaulting', 'a mutating webhook that sets defaults (default(obj))', false)
    .option(
      '--programmatic-validation',
      'a validating webhook (validateCreate / validateUpdate / validateDelete)',
      false,
    )
    .option('--conversion', 'conversion between versions through this (hub) version', false)
    .option('--spoke <versions>', 'with --conversion: the other versions, comma-separated (v2,v3)', collectVersions, [])
    .option('--force', 'overwrite existing webhook files and re-create webhooks PROJECT records', false)
    .option('--yes', 'never prompt: fail when a required flag is missing', false)
    .option('--dry-run', 'print what would be written and write nothing', false)
    .action(async (flags: CreateWebhookFlags) => runCreateWebhook(flags, io));
}

async function runCreateWebhook(flags: CreateWebhookFlags, io: CliIO): Promise<void> {
  const project = await import('../project/index.js');
  const current = await project.readProject(io.cwd);
  const externalApiDomain =
    flags.externalApiDomain === undefined
      ? undefined
      : validFlag('--external-api-domain', flags.externalApiDomain, project.checkDomain);
  const { group, version, kind } = await askGroupVersionKind(io, flags, externalApiDomain ?? current.domain);
  const spokes = flags.spoke.map((spoke) => validFlag('--spoke', spoke, project.checkVersion));

  const [{ DiskStore, Tree }, { scaffoldWebhook }] = await Promise.all([
    import('../machinery/index.js'),
    import('../scaffolds/index.js'),
  ]);
  const tree = new Tree(new DiskStore(io.cwd));
  const { notes } = await scaffoldWebhook(tree, current, {
    group,
    version,
    kind,
    externalApiPath: flags.externalApiPath,
    externalApiDomain,
    defaulting: flags.defaulting,
    validation: flags.programmaticValidation,
    conversion: flags.conversion,
    spokes,
    force: flags.force,
  });
  const changes = flags.dryRun ? tree.changes() : await tree.commit();
  reportChanges(io, changes, { dryRun: flags.dryRun });
  reportNotes(io, [...project.projectUpgradeNotes(current), ...notes]);
  if (!flags.dryRun && changes.some((change) => change.action !== 'SKIP')) {
    io.print('Next: fill in the TODOs, then npm run manifests and `kubeforge run --webhooks` to try them locally');
  }
}

function collectVersions(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((version) => version.trim())];
}
