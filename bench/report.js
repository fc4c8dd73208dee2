// Pure helpers of bench/run.js: medians, ratios, the markdown tables and the machine line. No I/O
// beyond reading os facts, so bench/report.test.ts can test them.
import { cpus, loadavg, totalmem } from 'node:os';

/** The middle value (the lower middle for an even count); undefined for no values. */
export function median(values) {
  const present = values.filter((value) => value !== undefined && value !== null && !Number.isNaN(value));
  if (present.length === 0) return undefined;
  const sorted = [...present].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** ours / theirs as `1.23×`, or `—` when either side is missing or theirs is 0. */
export function ratio(ours, theirs) {
  if (ours === undefined || theirs === undefined || theirs === 0) return '—';
  return `${(ours / theirs).toFixed(2)}×`;
}

/** A figure with its unit, rounded for reading (`—` when missing). */
export function formatValue(value, unit) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/**
 * A markdown table: a `measure` column, one column per name of `columns`, then one ratio column
 * per `[numerator, denominator]` pair of column indexes (headed `a ÷ b`). `rows` are
 * `{ measure, unit, values }` (values in column order, undefined for a figure not measured) or
 * `{ section }`, a bold separator line.
 */
export function markdownTable({ columns, ratios = [], rows }) {
  const headers = ratios.map(([ours, theirs]) => `${columns[ours]} ÷ ${columns[theirs]}`);
  // A `|` inside a cell would end it: escaped, as markdown tables take it.
  const cells = (values) => `| ${values.map((value) => String(value).replaceAll('|', '\\|')).join(' | ')} |`;
  const lines = [
    cells(['measure', ...columns, ...headers]),
    cells(['---', ...[...columns, ...headers].map(() => '---:')]),
  ];
  for (const row of rows) {
    if (row.section) lines.push(cells([`**${row.section}**`, ...[...columns, ...headers].map(() => '')]));
    else
      lines.push(
        cells([
          row.measure,
          ...columns.map((_, index) => formatValue(row.values[index], row.unit)),
          ...ratios.map(([ours, theirs]) => ratio(row.values[ours], row.values[theirs])),
        ]),
      );
  }
  return lines.join('\n');
}

/** Cores, memory, load average and Node version of this machine, as one line. */
export function machineLine() {
  const [one, five] = loadavg();
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} cores (${model}), ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${one.toFixed(1)} / ${five.toFixed(1)} (1 / 5 min), Node ${process.versions.node}`;
}
