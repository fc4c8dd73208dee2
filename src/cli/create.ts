/**
 * `kubeforge create <what>`: adds to an existing project. `create api` scaffolds an API version of
 * a kind and its controller; every flag is validated (or asked for on a terminal) before anything
 * is staged, and nothing is written unless the whole command succeeds.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { requireValue, terminalIO, validFlag, type CliIO } from './io.js';
import { reportChanges, reportNotes } from './reporter.js';

export interface CreateApiFlags {
  group?: string;
  version?: string;
  kind?: string;
  plural?: string;
  namespaced?: boolean;
  resource?: boolean;
  controller?: boolean;
  externalApiPath?: string;
  externalApiDomain?: string;
  make?: boolean;
  plugins?: string[];
  image?: string;
  imageContainerPort?: string;
  runAsUser?: string;
  imageContainerCommand?: string;
  force: boolean;
  yes: boolean;
  dryRun: boolean;
}

export function register(program: Command, io: CliIO = terminalIO()): Command {
  const create = program.command('create').description('add an API or a webhook to the current project');
  create
    .command('api')
    .description('scaffold an API version of a kind (types, sample, roles) and its controller')
    .option('--group <group>', 'API group without the domain, e.g. webapp (→ webapp.<domain>)')
    .option('--version <version>', 'API version: v1, v2beta1, v1alpha1, …')
    .option('--kind <kind>', 'kind, PascalCase, e.g. Guestbook')
    .option('--plural <plural>', 'resource name (default: the English plural of the kind, lower-case)')
    .option('--namespaced [bool]', 'namespaced (true, default) or cluster-scoped (false)', parseBoolean)
    .option('--no-namespaced', 'cluster-scoped: same as --namespaced=false')
    .option('--resource [bool]', 'scaffold the API types (default true)', parseBoolean)
    .option('--no-resource', 'same as --resource=false')
    .option(
      '--controller [bool]',
      'scaffold a controller (default true, false for a further version of a kind)',
      parseBoolean,
    )
    .option('--no-controller', 'same as --controller=false')
    .option(
      '--external-api-path <module>',
      'with --resource=false: the module of a kind defined elsewhere (kubeforge import output such as src/imports/cert-manager.io/v1.ts, or an npm package)',
    )
    .option(
      '--external-api-domain <domain>',
      "with --external-api-path: completes --group to the kind's API group (cert-manager + io)",
    )
    .option(
      '--make [bool]',
      "run npm run manifests after scaffolding an API (default true when the project's dependencies are installed)",
      parseBoolean,
    )
    .option('--no-make', 'same as --make=false')
    .option('--plugins <names...>', `plugins to scaffold the API with (${CREATE_API_PLUGINS.join(', ')})`)
    .option(
      '--image <image>',
      'with --plugins deploy-image: the operand image the controller deploys, e.g. memcached:1.6',
    )
    .option(
      '--image-container-port <port>',
      'with --plugins deploy-image: the port the container listens on (spec.containerPort and a Service)',
    )
    .option('--run-as-user <uid>', "with --plugins deploy-image: the container's securityContext.runAsUser")
    .option(
      '--image-container-command <command>',
      "with --plugins deploy-image: the container's command and arguments, separated by commas",
    )
    .option('--force', 'overwrite existing files and re-create an API already in PROJECT', false)
    .option('--yes', 'never prompt: fail when a required flag is missing', false)
    .option('--dry-run', 'print what would be written and write nothing', false)
    .action(async (flags: CreateApiFlags) => runCreateApi(flags, io));
  return create;
}

/** Group, version and kind from their flags, asked for on a terminal when missing; each validated. */
export async function askGroupVersionKind(
  io: CliIO,
  flags: { group?: string; version?: string; kind?: string; yes: boolean },
  domain: string,
): Promise<{ group: string; version: string; kind: string }> {
  const project = await import('../project/index.js');
  const ask = { yes: flags.yes };
  const group = await requireValue(
    io,
    {
      ...ask,
      flag: '--group',
      value: flags.group,
      question: `API group (becomes <group>.${domain}):`,
      example: 'webapp',
    },
    (value) => project.checkGroup(value, domain),
  );
  const version = await requireValue(
    io,
    { ...ask, flag: '--version', value: flags.version, question: 'API version:', example: 'v1', default: 'v1' },
    project.checkVersion,
  );
  const kind = await requireValue(
    io,
    { ...ask, flag: '--kind', value: flags.kind, question: 'Kind (PascalCase):', example: 'Guestbook' },
    project.checkKind,
  );
  return { group, version, kind };
}

async function runCreateApi(flags: CreateApiFlags, io: CliIO): Promise<void> {
  const deployImage = await deployImageFlags(flags);
  const project = await import('../project/index.js');
  const current = await project.readProject(io.cwd);
  const externalApiDomain =
    flags.externalApiDomain === undefined
      ? undefined
      : validFlag('--external-api-domain', flags.externalApiDomain, project.checkDomain);
  const { group, version, kind } = await askGroupVersionKind(io, flags, externalApiDomain ?? current.domain);
  const plural = flags.plural === undefined ? undefined : validFlag('--plural', flags.plural, project.checkPlural);

  const [{ DiskStore, Tree }, { scaffoldApi, scaffoldDeployImageApi }] = await Promise.all([
    import('../machinery/index.js'),
    import('../scaffolds/index.js'),
  ]);
  const tree = new Tree(new DiskStore(io.cwd));
  const api = {
    group,
    version,
    kind,
    plural,
    namespaced: flags.namespaced,
    externalApiPath: flags.externalApiPath,
    externalApiDomain,
    resource: flags.resource ?? true,
    controller: flags.controller,
    force: flags.force,
  };
  const { notes } = deployImage
    ? await scaffoldDeployImageApi(tree, current, api, deployImage)
    : await scaffoldApi(tree, current, api);
  const changes = flags.dryRun ? tree.changes() : await tree.commit();
  reportChanges(io, changes, { dryRun: flags.dryRun });
  reportNotes(io, [...project.projectUpgradeNotes(current), ...notes]);
  if (flags.dryRun || !changes.some((change) => change.action !== 'SKIP')) return;
  if (flags.resource === false) {
    io.print('Next: fill in the reconciler, then npm run manifests (RBAC) and npm test');
    return;
  }
  await runMake(io, flags.make);
}

const CREATE_API_PLUGINS = ['deploy-image'];

/** The deploy-image settings when `--plugins deploy-image` is given; its flags are refused without it. */
async function deployImageFlags(flags: CreateApiFlags) {
  const names = (flags.plugins ?? []).flatMap((value) => value.split(',')).filter(Boolean);
  const unknown = names.filter((name) => !CREATE_API_PLUGINS.includes(name));
  if (flags.plugins !== undefined && (unknown.length > 0 || names.length === 0)) {
    throw new UserError(`--plugins ${unknown.join(',') || '""'}: unknown plugin for create api`, {
      hint: `available plugins: ${CREATE_API_PLUGINS.join(', ')} (edit --plugins has helm and grafana)`,
    });
  }
  if (!names.includes('deploy-image')) {
    const stray = (
      [
        ['--image', flags.image],
        ['--image-container-port', flags.imageContainerPort],
        ['--run-as-user', flags.runAsUser],
        ['--image-container-command', flags.imageContainerCommand],
      ] as const
    ).find(([, value]) => value !== undefined);
    if (stray) throw new UserError(`${stray[0]} is a flag of --plugins deploy-image: pass --plugins deploy-image`);
    return undefined;
  }
  const { checkDeployImageFlags } = await import('../scaffolds/index.js');
  return checkDeployImageFlags(flags, {
    image: flags.image,
    containerPort: flags.imageContainerPort,
    runAsUser: flags.runAsUser,
    containerCommand: flags.imageContainerCommand,
  });
}

/**
 * kubebuilder's `--make`: after an API is scaffolded, regenerate the manifests with the project's
 * own `npm run manifests`. By default only when the project's dependencies are installed (a new
 * project is scaffolded before `npm install`); `--make` insists, `--make=false` skips.
 */
async function runMake(io: CliIO, make: boolean | undefined): Promise<void> {
  const installed = existsSync(join(io.cwd, 'node_modules', '.bin', 'kubeforge'));
  if (make === false || (make === undefined && !installed)) {
    const before = installed ? '' : 'npm install, then ';
    io.print(`Next: edit the types, then ${before}npm run manifests (CRD + RBAC) and npm test`);
    return;
  }
  io.print('Running npm run manifests (--make=false skips it)');
  const run = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    execFile('npm', ['run', 'manifests'], { cwd: io.cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}`.trimEnd() });
    });
  });
  if (run.output) io.print(run.output);
  if (run.code !== 0) {
    throw new UserError(`--make: npm run manifests failed (exit code ${run.code}); the scaffolded files are written`, {
      hint: 'fix what it reports, then run npm run manifests yourself',
    });
  }
  io.print('Next: edit the types, then npm run manifests again and npm test');
}

function parseBoolean(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('must be true or false');
}
