/**
 * The `kubeforge` command line. Each command lives in its own file under `src/cli/` and exports a
 * `register(program)` function; this file wires them together and turns thrown errors into
 * messages and exit codes (see `errors.ts`). Heavy modules are imported inside command actions so
 * `kubeforge --help` stays fast.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { exitCodeOf, formatError } from './errors.js';
import { register as registerEnvtest } from './envtest.js';
import { register as registerManifests } from './manifests.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('kubeforge')
    .description('kubebuilder for TypeScript: scaffold, generate and run Kubernetes operators')
    .version(version)
    .option('--debug', 'print stack traces of unexpected errors')
    .showHelpAfterError();
  registerEnvtest(program);
  registerManifests(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    const commanderError = error as { code?: string; exitCode?: number };
    if (typeof commanderError.code === 'string' && commanderError.code.startsWith('commander.')) {
      return commanderError.exitCode ?? 1;
    }
    const debug = program.opts<{ debug?: boolean }>().debug === true || argv.includes('--debug');
    process.stderr.write(formatError(error, debug) + '\n');
    return exitCodeOf(error);
  }
}
