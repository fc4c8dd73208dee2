// Pure helpers of bench/run.js: medians, kubeforge/Go ratios, the markdown table and the
// machine line. No I/O beyond reading /proc and os facts, so bench/report.test.ts can test them.
import { cpus, loadavg, totalmem } from 'node:os';

/** The middle value (the lower middle for an even count); undefined for no values. */
export function median(values) {
  const present = values.filter((value) => value !== undefined && value !== null && !Number.isNaN(value));
  if (present.length === 0) return undefined;
  const sorted = [...present].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** kubeforge / Go as `1.23×`, or `—` when either side is missing or Go is 0. */
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
 * Rows `{ measure, unit, ours, theirs }` as a markdown table with the ratio column; a row with
 * `section` instead is a bold separator line.
 */
export function markdownTable(rows) {
  const lines = ['| measure | kubeforge | Go / controller-gen | ratio |', '| --- | ---: | ---: | ---: |'];
  for (const row of rows) {
    if (row.section) lines.push(`| **${row.section}** | | | |`);
    else
      lines.push(
        `| ${row.measure} | ${formatValue(row.ours, row.unit)} | ${formatValue(row.theirs, row.unit)} | ${ratio(row.ours, row.theirs)} |`,
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
