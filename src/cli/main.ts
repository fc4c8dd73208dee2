/**
 * The `kubeforge` command line. Each command lives in its own file under `src/cli/` and exports a
 * `register(program)` function; this file wires them together on the program of
 * `program-base.ts`, which also turns thrown errors into messages and exit codes. Heavy modules are
 * imported inside command actions so `kubeforge --help` stays fast; `bin/kubeforge.js` runs
 * `kubeforge manifests` without this file (`manifests.ts`' `mainOfManifests`).
 */
import type { Command } from 'commander';
import { register as registerCreate } from './create.js';
import { register as registerCreateWebhook } from './create-webhook.js';
import { register as registerEdit } from './edit.js';
import { register as registerInit } from './init.js';
import { terminalIO, type CliIO } from './io.js';
import { register as registerEnvtest } from './envtest.js';
import { register as registerManifests } from './manifests.js';
import { register as registerRun } from './run.js';
import { register as registerImport } from './import.js';
import { register as registerTree } from './tree.js';
import { register as registerCompletion } from './completion.js';
import { register as registerDoctor } from './doctor.js';
import { addHelpExamples } from './help-examples.js';
import { register as registerAlphaGenerate } from './alpha-generate.js';
import { register as registerUpgrade } from './upgrade.js';
import { baseProgram, runProgram } from './program-base.js';

/**
 * The program with every command. `io` reaches the scaffolding commands (tests inject prompts and
 * a directory).
 */
export function buildProgram(io: CliIO = terminalIO()): Command {
  const program = baseProgram(io);
  registerInit(program, io);
  registerCreateWebhook(registerCreate(program, io), io);
  registerEnvtest(program);
  registerManifests(program, io);
  registerEdit(program, io);
  registerRun(program, io);
  registerImport(program, io);
  registerTree(program, io);
  registerCompletion(program, io);
  registerDoctor(program, io);
  registerAlphaGenerate(program, io);
  registerUpgrade(program, io);
  addHelpExamples(program);
  return program;
}

export async function main(argv: string[], io: CliIO = terminalIO()): Promise<number> {
  return runProgram(buildProgram(io), argv, io);
}
