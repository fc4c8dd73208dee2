/**
 * The console encoding of the runtime's logs: each JSON line pino writes becomes one line for a
 * person, in the column order of controller-runtime's zap console encoder —
 * `time  LEVEL  logger  message  {"key":"value",…}` — with the level colored on a terminal. An
 * error's message joins the fields as `error`; its stack (kept only at the stacktrace level, see
 * `log.ts`) follows on indented lines, as zap prints a stacktrace.
 */

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

// zap's CapitalColorLevelEncoder colors.
const LEVEL_COLORS: Record<string, number> = { TRACE: 90, DEBUG: 35, INFO: 34, WARN: 33, ERROR: 31, FATAL: 31 };

/**
 * Keys that are columns of the line, or pino's process bookkeeping, not fields. The logger column
 * is `component` (manager, leader-election, webhook-server, …): `name` stays a field, since a
 * reconcile's logger binds the object's name there.
 */
const COLUMN_KEYS = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'component', 'err']);

interface SerializedError {
  type?: string;
  message?: string;
  stack?: string;
}

function formatTime(time: unknown): string {
  if (typeof time === 'number' && time > 1e11 && time < 1e14) return new Date(time).toISOString();
  return time === undefined ? '' : String(time);
}

/** One event as text: one line, plus the error's stack lines when it kept one. */
function formatConsoleLine(record: Record<string, unknown>, color: boolean): string {
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const levelName =
    typeof record.level === 'number' ? (LEVEL_NAMES[record.level] ?? `LEVEL${record.level}`) : String(record.level);
  const logger = typeof record.component === 'string' ? record.component : '';
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!COLUMN_KEYS.has(key)) fields[key] = value;
  const err = typeof record.err === 'object' && record.err !== null ? (record.err as SerializedError) : undefined;
  if (err) fields.error = err.message ?? err.type;
  else if (record.err !== undefined) fields.error = record.err;
  const columns = [
    paint(2, formatTime(record.time)),
    paint(LEVEL_COLORS[levelName] ?? 0, levelName),
    ...(logger ? [logger] : []),
    String(record.msg ?? '').replace(/\r?\n/g, '\\n'),
    ...(Object.keys(fields).length > 0 ? [JSON.stringify(fields)] : []),
  ];
  const line = columns.join('\t');
  if (!err?.stack) return line;
  const stack = err.stack.split('\n').map((frame) => `\t${frame.trim()}`);
  return [line, ...stack.slice(1)].join('\n');
}

/** A destination for pino that re-encodes each JSON line for a person before writing it. */
export function consoleDestination(
  destination: { write(line: string): unknown },
  options: { color: boolean },
): { write(line: string): void } {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        destination.write(line);
        return;
      }
      destination.write(`${formatConsoleLine(record, options.color)}\n`);
    },
  };
}
