/**
 * `kubeforge completion bash|zsh|fish`: prints a completion script for the shell, generated from
 * the program's own commands and options (`completion-scripts.ts`).
 */
import { Argument, type Command } from 'commander';
import { completionScript, SHELLS, type Shell } from './completion-scripts.js';
import type { CliIO } from './io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell: Shell) => io.print(completionScript(shell, program).trimEnd()));
}
