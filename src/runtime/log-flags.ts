/**
 * The logging flags of a kubebuilder `cmd/main.go` (controller-runtime's zap flags) and their
 * pino meaning: `--zap-devel`, `--zap-encoder` (and kubeforge's `--log-format`), `--zap-log-level`,
 * `-v` (klog's verbosity), `--zap-stacktrace-level`, `--zap-time-encoding`.
 *
 * zap's levels run the other way from pino's: zap `debug` is logr verbosity 1, and an integer N
 * on `--zap-log-level` enables verbosity N. pino has two levels below info, so verbosity 1 is
 * `debug` and 2 or more is `trace`; zap `panic` is pino `fatal`.
 */
import type { LevelWithSilent } from 'pino';
import { LOG_FORMATS, TIME_ENCODINGS, type LogFormat, type LogOptions, type TimeEncoding } from './log.js';

export const LOG_VALUE_FLAGS = [
  'log-format',
  'zap-encoder',
  'zap-log-level',
  'zap-stacktrace-level',
  'zap-time-encoding',
  'v',
] as const;
export const LOG_BOOLEAN_FLAGS = ['zap-devel'] as const;

const ZAP_LEVELS: Record<string, LevelWithSilent> = { debug: 'debug', info: 'info', error: 'error', panic: 'fatal' };
const ZAP_STACKTRACE_LEVELS: Record<string, LevelWithSilent> = { info: 'info', error: 'error', panic: 'fatal' };

function verbosityLevel(verbosity: number): LevelWithSilent {
  if (verbosity <= 0) return 'info';
  return verbosity === 1 ? 'debug' : 'trace';
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(lower))
    throw new Error(`--${flag}: "${value}" is not one of ${allowed.join(', ')}`);
  return lower as T;
}

/** What the log flags set: the level (the manager's `logLevel`) and the other `LogOptions`. */
export interface LogFlagSettings {
  level?: LevelWithSilent;
  log: Omit<LogOptions, 'level'>;
}

/** Applies `--<name> <value>` (one of `LOG_VALUE_FLAGS`) to `settings`; a bad value throws naming the flag. */
export function applyLogFlag(name: (typeof LOG_VALUE_FLAGS)[number], value: string, settings: LogFlagSettings): void {
  switch (name) {
    case 'log-format':
    case 'zap-encoder':
      settings.log.format = oneOf<LogFormat>(name, value, LOG_FORMATS);
      return;
    case 'zap-log-level': {
      const named = ZAP_LEVELS[value.toLowerCase()];
      const verbosity = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!named && !(verbosity > 0))
        throw new Error(
          `--zap-log-level: "${value}" is not one of debug, info, error, panic or an integer > 0 (a debug verbosity)`,
        );
      settings.level = named ?? verbosityLevel(verbosity);
      return;
    }
    case 'v':
      if (!/^\d+$/.test(value)) throw new Error(`-v: "${value}" is not a verbosity (an integer ≥ 0)`);
      settings.level = verbosityLevel(Number(value));
      return;
    case 'zap-stacktrace-level': {
      const level = ZAP_STACKTRACE_LEVELS[value.toLowerCase()];
      if (!level) throw new Error(`--zap-stacktrace-level: "${value}" is not one of info, error, panic`);
      settings.log.stacktraceLevel = level;
      return;
    }
    case 'zap-time-encoding':
      settings.log.timeEncoding = oneOf<TimeEncoding>(name, value === 'nano' ? 'nanos' : value, TIME_ENCODINGS);
      return;
  }
}
