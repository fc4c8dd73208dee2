/**
 * The `kubeforge` command line. Each command lives in its own file under `src/cli/` and exports a
 * `register(program)` function; this file wires them together and turns thrown errors into
 * messages and exit codes (see `errors.ts`). Heavy modules are imported inside command actions so
 * `kubeforge --help` stays fast.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { register as registerCreate } from './create.js';
import { register as registerCreateWebhook } from './create-webhook.js';
import { register as registerEdit } from './edit.js';
import { exitCodeOf, formatError } from './errors.js';
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

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

/**
 * The program with every command. `io` reaches the scaffolding commands (tests inject prompts and
 * a directory). Program options go before the command name (`create api --version v2` is the API
 * version, not kubeforge's); `--debug` is accepted anywhere (see `main`).
 */
export function buildProgram(io: CliIO = terminalIO()): Command {
  const program = new Command('kubeforge')
    .description('kubebuilder for TypeScript: scaffold, generate and run Kubernetes operators')
    .version(version)
    .option('--debug', 'print stack traces of unexpected errors')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.print(text.trimEnd()),
      writeErr: (text) => io.printError(text.trimEnd()),
    })
    .showHelpAfterError();
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
  const program = buildProgram(io);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(debug ? argv.filter((arg) => arg !== '--debug') : argv);
    return 0;
  } catch (error) {
    const commanderError = error as { code?: string; exitCode?: number };
    if (typeof commanderError.code === 'string' && commanderError.code.startsWith('commander.')) {
      return commanderError.exitCode ?? 1;
    }
    io.printError(formatError(error, debug));
    return exitCodeOf(error);
  }
}
