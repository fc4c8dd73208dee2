/**
 * The `kubeforge` program without its commands, and how a run of it turns thrown errors into
 * messages and exit codes (see `errors.ts`). Light on purpose: `main.ts` adds every command, and
 * `kubeforge manifests` runs a program with that command alone (`manifests.ts`), so a run loads
 * only the modules it uses.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { exitCodeOf, formatError } from './errors.js';
import type { CliIO } from './io.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

/**
 * Program options go before the command name (`create api --version v2` is the API version, not
 * kubeforge's); `--debug` is accepted anywhere (see `runProgram`).
 */
export function baseProgram(io: CliIO): Command {
  return new Command('kubeforge')
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
}

/** Parses `argv` and runs the command; returns the exit code. */
export async function runProgram(program: Command, argv: string[], io: CliIO): Promise<number> {
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
