/**
 * Errors the CLI shows to people. A `UserError` is an expected failure (bad flag, outside a
 * project, …): printed as its message and hint, without a stack, with its own exit code.
 * Anything else is unexpected: printed with its `cause` chain, and the stack only with `--debug`.
 */
export class UserError extends Error {
  readonly hint?: string;
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

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
        lines.push(...current.stack.split('\n').slice(1).map((line) => '  ' + line.trim()));
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
