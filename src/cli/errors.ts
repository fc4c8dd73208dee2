/**
 * How the CLI shows errors to people. Expected failures are `UserError`s (`src/errors.ts`, thrown
 * by every layer): printed as their message and hint, without a stack, with their own exit code.
 * Anything else is unexpected: printed with its `cause` chain, and the stack only with `--debug`.
 */
import { UserError } from '../errors.js';

/** Renders an error for the terminal: message, hint, then each `cause` on its own line. */
export function formatError(error: unknown, debug: boolean): string {
  const lines: string[] = [];
  let current: unknown = error;
  let depth = 0;
  while (current !== undefined && depth < 10) {
    const prefix = depth === 0 ? 'Error: ' : '  caused by: ';
    if (current instanceof Error) {
      lines.push(prefix + current.message);
      if (current instanceof UserError && current.hint) lines.push(`  hint: ${current.hint}`);
      if (debug && current.stack && !(current instanceof UserError)) {
        lines.push(
          ...current.stack
            .split('\n')
            .slice(1)
            .map((line) => '  ' + line.trim()),
        );
      }
      current = current.cause;
    } else {
      lines.push(prefix + String(current));
      current = undefined;
    }
    depth++;
  }
  if (!debug && !(error instanceof UserError)) lines.push('  (run with --debug for the stack trace)');
  return lines.join('\n');
}

export function exitCodeOf(error: unknown): number {
  return error instanceof UserError ? error.exitCode : 1;
}
