/**
 * Structured logging with pino. The manager's logger is the root; each controller derives a
 * child with `controller`, and each reconcile a child with `namespace`, `name` and `reconcileID`,
 * so every line a reconciler writes through `ctx.log` says which object it was about.
 *
 * Two encodings, as controller-runtime's zap logger has: JSON lines for machines (the default
 * off a terminal: production), and one human-readable, colored line per event for people (the
 * default on a terminal, or `format: 'console'`). The console encoding is an in-process
 * formatter over pino's JSON (`log-console.ts`), not pino-pretty's worker-thread transport, so an
 * operator stays one esbuild bundle with no worker file beside it.
 */
import { pino, stdSerializers, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { consoleDestination } from './log-console.js';

export type { Logger } from 'pino';

export const LOG_LEVELS: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export function isLogLevel(value: string): value is LevelWithSilent {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export const LOG_FORMATS = ['json', 'console'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** zap's `--zap-time-encoding` values: how `time` is written. */
export const TIME_ENCODINGS = ['epoch', 'millis', 'nanos', 'iso8601', 'rfc3339', 'rfc3339nano'] as const;
export type TimeEncoding = (typeof TIME_ENCODINGS)[number];

/** Where log lines go: a writable stream (`isTTY` decides the default format and colors). */
export interface LogDestination {
  write(line: string): unknown;
  isTTY?: boolean;
}

export interface LogOptions {
  /** trace, debug, info, warn, error, fatal, silent. Default `KUBEFORGE_LOG_LEVEL`, else info (debug in development). */
  level?: string;
  name?: string;
  /** Default `KUBEFORGE_LOG_FORMAT`, else console when `destination` is a terminal or in development, else json. */
  format?: LogFormat;
  /** zap's development mode (`--zap-devel`): console, debug and stacks from warn unless set otherwise. */
  development?: boolean;
  /** An error's stack is logged only at this level or above (below it, `err` keeps type and message). Default error (warn in development). */
  stacktraceLevel?: LevelWithSilent;
  /** Default: milliseconds since the epoch (pino's), iso8601 for the console encoding. */
  timeEncoding?: TimeEncoding;
  /** Colors in the console encoding. Default: `destination` is a terminal and `NO_COLOR` is unset. */
  color?: boolean;
  /** Default process.stdout. */
  destination?: LogDestination;
}

/**
 * Fields whose values never reach a log line: credentials a request, a rest config or an error
 * may carry. Each is censored at the top level and one level down (pino's paths have no `**`).
 */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'bearerToken',
  'token',
  'password',
  'keyData',
  'certData',
  'clientKey',
  'clientKeyData',
  'client-key-data',
];
export const REDACTED = '[REDACTED]';
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  return [safe, `*.${safe}`.replace('.[', '[')];
});

const TIME_FUNCTIONS: Record<TimeEncoding, () => string> = {
  epoch: () => `,"time":${Date.now() / 1000}`,
  millis: () => `,"time":${Date.now()}`,
  nanos: () => `,"time":${BigInt(Date.now()) * 1_000_000n}`,
  iso8601: () => `,"time":"${new Date().toISOString()}"`,
  rfc3339: () => `,"time":"${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}"`,
  rfc3339nano: () => `,"time":"${new Date().toISOString()}"`,
};

function envOption<T extends string>(name: string, allowed: readonly T[]): T | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new Error(`${name}: "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * A logger on stdout (or `destination`): JSON lines, or the console encoding; errors' stacks only
 * at `stacktraceLevel` and above; credentials censored.
 */
export function newLogger(options: LogOptions = {}): Logger {
  const development = options.development === true;
  const level = options.level ?? process.env.KUBEFORGE_LOG_LEVEL ?? (development ? 'debug' : 'info');
  if (!isLogLevel(level)) throw new Error(`invalid log level "${level}": expected one of ${LOG_LEVELS.join(', ')}`);
  const destination = options.destination ?? process.stdout;
  const format =
    options.format ??
    envOption('KUBEFORGE_LOG_FORMAT', LOG_FORMATS) ??
    (development || destination.isTTY ? 'console' : 'json');
  const stacktraceLevel = options.stacktraceLevel ?? (development ? 'warn' : 'error');
  const timeEncoding = options.timeEncoding ?? (format === 'console' ? 'iso8601' : undefined);
  const color = options.color ?? (destination.isTTY === true && !process.env.NO_COLOR);

  // Logging is synchronous: the hook marks the call in flight, the err serializer reads the mark.
  let keepStacks = true;
  let stackThreshold = 0;
  const logger = pino(
    {
      level,
      name: options.name,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      timestamp: timeEncoding ? TIME_FUNCTIONS[timeEncoding] : true,
      serializers: {
        err: (error: Error) => {
          const serialized = stdSerializers.err(error);
          if (!keepStacks && serialized && typeof serialized === 'object')
            delete (serialized as { stack?: string }).stack;
          return serialized;
        },
      },
      hooks: {
        logMethod(args, method, callLevel) {
          keepStacks = callLevel >= stackThreshold;
          try {
            method.apply(this, args);
          } finally {
            keepStacks = true;
          }
        },
      },
    },
    format === 'console' ? consoleDestination(destination, { color }) : (destination as DestinationStream),
  );
  stackThreshold = logger.levels.values[stacktraceLevel] ?? Infinity;
  return logger;
}
