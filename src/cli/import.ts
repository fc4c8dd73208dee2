/**
 * `kubeforge import <crd.yaml | directory | schema.json> [--out src/imports]`: TypeScript models
 * for foreign CRDs and JSON schemas, one module per group/version, written through a Tree
 * (`--dry-run` shows the plan). The generator is loaded only when the command runs.
 */
import type { Command } from 'commander';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { CliIO } from './io.js';

interface ImportFlags {
  out: string;
  dir?: string;
  dryRun?: boolean;
}

async function runImport(input: string, flags: ImportFlags, io: CliIO): Promise<void> {
  const projectDir = resolve(io.cwd, flags.dir ?? '.');
  const outDir = relative(projectDir, resolve(projectDir, flags.out));
  if (outDir.startsWith('..') || isAbsolute(outDir))
    throw new UserError(`--out "${flags.out}" must be inside the project (${projectDir})`);
  const { importSchemas } = await import('../codegen/index.js');
  const { DiskStore, Tree } = await import('../machinery/index.js');
  const modules = await importSchemas(resolve(io.cwd, input));
  const tree = new Tree(new DiskStore(projectDir));
  for (const module of modules) tree.generate(join(outDir, module.path), module.content);
  const changes = flags.dryRun ? tree.changes() : await tree.commit();
  for (const change of changes) io.print(`${change.action.padEnd(6)} ${change.path}`);
  if (flags.dryRun) io.print('dry run: nothing was written');
}

export function register(program: Command, io: CliIO): void {
  program
    .command('import')
    .description('generate TypeScript models from CRDs or JSON schemas (one module per group/version)')
    .argument('<source>', 'a CRD YAML file, a JSON schema file, or a directory of them')
    .option('--out <dir>', 'output directory, relative to the project', 'src/imports')
    .option('--dir <path>', 'project directory (default: the current directory)')
    .option('--dry-run', 'print what would change without writing')
    .action((input: string, flags: ImportFlags) => runImport(input, flags, io));
}
