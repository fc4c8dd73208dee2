/**
 * Structured logging with pino. The manager's logger is the root; each controller derives a
 * child with `controller`, and each reconcile a child with `namespace`, `name` and `reconcileID`,
 * so every line a reconciler writes through `ctx.log` says which object it was about.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export function isLogLevel(value: string): value is LevelWithSilent {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** A JSON logger on stdout; level from `level`, else `KUBEFORGE_LOG_LEVEL`, else `info`. */
export function newLogger(options: { level?: string; name?: string } = {}): Logger {
  const level = options.level ?? process.env.KUBEFORGE_LOG_LEVEL ?? 'info';
  if (!isLogLevel(level)) throw new Error(`invalid log level "${level}": expected one of ${LOG_LEVELS.join(', ')}`);
  return pino({ level, name: options.name, base: { pid: process.pid } });
}
