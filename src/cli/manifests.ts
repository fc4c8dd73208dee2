/**
 * `kubeforge manifests`: regenerate CRD, RBAC and webhook YAML from the project's API types and
 * markers. Validates flags, runs the generator (which reports every error of the run together)
 * and writes through a Tree, so `--dry-run` shows CREATE/UPDATE/SKIP and nothing is written on error.
 */
import type { Command } from 'commander';
import { createRequire } from 'node:module';
import { isAbsolute, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { CliIO } from './io.js';

interface ManifestsFlags {
  dir?: string;
  outputDir?: string;
  maxDescLen?: string;
  dryRun?: boolean;
  embeddedObjectMeta?: boolean;
}

function parseMaxDescLen(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UserError(`--max-desc-len must be a non-negative integer, got "${value}"`);
  return Number(value);
}

async function runManifests(flags: ManifestsFlags, io: CliIO): Promise<void> {
  const projectDir = resolve(io.cwd, flags.dir ?? '.');
  const maxDescLen = parseMaxDescLen(flags.maxDescLen);
  let crdOutputDir: string | undefined;
  if (flags.outputDir !== undefined) {
    crdOutputDir = relative(projectDir, resolve(projectDir, flags.outputDir));
    if (crdOutputDir.startsWith('..') || isAbsolute(crdOutputDir)) {
      throw new UserError(`--output-dir "${flags.outputDir}" must be inside the project (${projectDir})`);
    }
  }
  const { generateManifests } = await import('../codegen/index.js');
  const { DiskStore, Tree } = await import('../machinery/index.js');
  const result = await generateManifests({
    projectDir,
    crdOutputDir,
    maxDescLen,
    embeddedObjectMeta: flags.embeddedObjectMeta,
    kubeforgeVersion: (createRequire(import.meta.url)('../../package.json') as { version: string }).version,
  });
  for (const warning of result.warnings) io.printError(`warning: ${warning}`);
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
    .option('--dry-run', 'print what would change without writing')
    .action((flags: ManifestsFlags) => runManifests(flags, io));
}
