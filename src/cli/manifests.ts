/**
 * `kubeforge manifests`: regenerate CRD, RBAC and webhook YAML from the project's API types and
 * markers. Validates flags (`--dir` must be a project: PROJECT or api/), runs the generator (which
 * reports every error of the run together) and writes through a Tree, so `--dry-run` shows
 * CREATE/UPDATE/SKIP and nothing is written on error.
 */
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { addHelpExamples } from './help-examples.js';
import { terminalIO, type CliIO } from './io.js';
import { baseProgram, runProgram } from './program-base.js';

interface ManifestsFlags {
  dir?: string;
  outputDir?: string;
  maxDescLen?: string;
  dryRun?: boolean;
  embeddedObjectMeta?: boolean;
  kubernetesVersion?: string;
  check?: boolean;
  kubeconfig?: string;
  context?: string;
  envtest?: boolean;
}

/** `--kubeconfig`, `--context` and `--envtest` only mean something with `--check`, and not together. */
function checkCheckFlags(flags: ManifestsFlags): void {
  const given = (['kubeconfig', 'context', 'envtest'] as const).filter((flag) => flags[flag] !== undefined);
  if (given.length > 0 && !flags.check) {
    throw new UserError(`--${given[0]} only applies to --check (the cluster the manifests are checked against)`);
  }
  if (flags.envtest && (flags.kubeconfig !== undefined || flags.context !== undefined)) {
    throw new UserError(
      `--envtest checks against a local control plane; it cannot be combined with --${flags.kubeconfig !== undefined ? 'kubeconfig' : 'context'}`,
    );
  }
}

function parseMaxDescLen(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UserError(`--max-desc-len must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/**
 * The project directory (`--dir`, default the current directory). It must exist, be a directory
 * and hold a PROJECT file or an `api/` directory: without PROJECT, defaults apply (the group of
 * each API file from its `+groupName`), as for a folder of API types outside any project.
 */
function projectDirOf(flags: ManifestsFlags, io: CliIO): string {
  const dir = resolve(io.cwd, flags.dir ?? '.');
  const invalid = (rule: string) =>
    new UserError(
      flags.dir === undefined ? `not inside a kubeforge project: ${rule}` : `--dir "${flags.dir}" is invalid: ${rule}`,
      {
        hint: 'run it in the root of a kubeforge project (the directory holding PROJECT), or pass --dir <project>',
      },
    );
  const kind = entryKind(dir);
  if (kind === 'missing') throw invalid(`${dir} does not exist`);
  if (kind === 'file') throw invalid(`${dir} is a file, not a directory`);
  if (entryKind(join(dir, 'PROJECT')) === 'missing' && entryKind(join(dir, 'api')) !== 'directory') {
    throw invalid(`${dir} is not a kubeforge project: it has neither a PROJECT file nor an api/ directory`);
  }
  return dir;
}

/** What is at a path; `missing` also when a parent is a file (ENOTDIR). */
function entryKind(path: string): 'missing' | 'file' | 'directory' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}

async function runManifests(flags: ManifestsFlags, io: CliIO): Promise<void> {
  const projectDir = projectDirOf(flags, io);
  checkCheckFlags(flags);
  const maxDescLen = parseMaxDescLen(flags.maxDescLen);
  let crdOutputDir: string | undefined;
  if (flags.outputDir !== undefined) {
    crdOutputDir = relative(projectDir, resolve(projectDir, flags.outputDir));
    if (crdOutputDir.startsWith('..') || isAbsolute(crdOutputDir)) {
      throw new UserError(`--output-dir "${flags.outputDir}" must be inside the project (${projectDir})`);
    }
  }
  const { generateManifests, resolveKubernetesMinor } = await import('../codegen/index.js');
  const kubernetesVersion =
    flags.kubernetesVersion === undefined
      ? undefined
      : await resolveKubernetesMinor(flags.kubernetesVersion, '--kubernetes-version');
  const { DiskStore, Tree } = await import('../machinery/index.js');
  const { KUBEFORGE_VERSION } = await import('../project/index.js');
  const result = await generateManifests({
    projectDir,
    crdOutputDir,
    maxDescLen,
    embeddedObjectMeta: flags.embeddedObjectMeta,
    kubernetesVersion,
    kubeforgeVersion: KUBEFORGE_VERSION,
  });
  for (const warning of result.warnings) io.printError(`warning: ${warning}`);
  if (flags.check) {
    const { checkManifests } = await import('./manifests-check.js');
    await checkManifests(projectDir, result, flags, io);
    return;
  }
  const tree = new Tree(new DiskStore(projectDir));
  for (const [path, content] of result.files) tree.generate(path, content);
  const changes = flags.dryRun ? tree.changes() : await tree.commit();
  for (const change of changes) io.print(`${change.action.padEnd(6)} ${change.path}`);
  if (flags.dryRun) io.print('dry run: nothing was written');
}

export function register(program: Command, io: CliIO): void {
  program
    .command('manifests')
    .description('generate CRD, RBAC and webhook YAML (config/) from API types and kubebuilder markers')
    .option('--dir <path>', 'project directory (default: the current directory)')
    .option('--output-dir <dir>', 'where CRDs are written, relative to the project', 'config/crd/bases')
    .option('--max-desc-len <n>', 'truncate descriptions to n characters (0 removes them)')
    .option('--embedded-object-meta', 'keep name, labels, annotations… of ObjectMeta inside templates (not pruned)')
    .option(
      '--kubernetes-version <minor>',
      "whose core types (V1PodSpec…): a shipped minor such as 1.35 (default: PROJECT's kubernetesVersion, else the newest shipped)",
    )
    .option('--dry-run', 'print what would change without writing')
    .option(
      '--check',
      'dry-run the CRDs and config/samples against a cluster and list rejections by file:line (writes nothing)',
    )
    .option(
      '--kubeconfig <path>',
      'with --check: the cluster (default: $KUBECONFIG, then ~/.kube/config, else --envtest)',
    )
    .option('--context <name>', 'with --check: the kubeconfig context')
    .option('--envtest', 'with --check: start a local envtest control plane of the targeted Kubernetes version')
    .action((flags: ManifestsFlags) => runManifests(flags, io));
}

/**
 * `kubeforge manifests …` (argv as `main` takes it) on a program with this command alone, as
 * `bin/kubeforge.js` runs it: `npm test` and `make manifests` run it each time, and loading every
 * command's module would cost each run ~20 ms of CPU. Same flags, help and errors as `main`.
 */
export function mainOfManifests(argv: string[], io: CliIO = terminalIO()): Promise<number> {
  const program = baseProgram(io);
  register(program, io);
  addHelpExamples(program);
  return runProgram(program, argv, io);
}
