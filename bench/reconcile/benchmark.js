// The reconcile benchmark: for each N and worker count, `reps` runs of each operator on fresh
// control planes, alternating which operator goes first, then medians as table rows.
import { mkdirSync } from 'node:fs';
import { median } from '../report.js';
import { runScenario } from './scenario.js';

const FIGURES = [
  ['startupMs', 'startup to first Widget Ready', 'ms', 1],
  ['createReadyMs', 'create N: time to all Ready', 's', 1 / 1000],
  ['createCpuS', 'create N: operator CPU', 's', 1],
  ['createPeakRssMiB', 'create N: peak RSS', 'MiB', 1],
  ['updateReadyMs', 'update all: time to all Ready', 's', 1 / 1000],
  ['updateCpuS', 'update all: operator CPU', 's', 1],
  ['updatePeakRssMiB', 'update all: peak RSS', 'MiB', 1],
  ['idleRssMiB', 'idle RSS after the idle period', 'MiB', 1],
];

/**
 * Runs every scenario; `operators` is `[kubeforge, go]` (`{ name, command, args }`), `reps[i]` the
 * repetitions for `counts[i]` (the last one for the rest). Returns `{ runs, rows }`: every run's
 * figures and the table rows (medians; kubeforge first).
 */
export async function benchReconcile({
  operators,
  counts,
  workerCounts,
  reps: repsPerCount,
  idleMs,
  crdDir,
  logDir,
  log,
}) {
  mkdirSync(logDir, { recursive: true });
  const runs = [];
  const rows = [];
  for (const [index, count] of counts.entries()) {
    const reps = repsPerCount[Math.min(index, repsPerCount.length - 1)];
    for (const workers of workerCounts) {
      const results = { [operators[0].name]: [], [operators[1].name]: [] };
      for (let rep = 0; rep < reps; rep++) {
        const order = rep % 2 === 0 ? operators : [...operators].reverse();
        for (const operator of order) {
          const timeoutMs = Math.max(120_000, count * 200);
          try {
            const result = await runScenario({ operator, count, workers, idleMs, crdDir, logDir, timeoutMs });
            log(`reconcile ${JSON.stringify(roundAll(result))}`);
            results[operator.name].push(result);
            runs.push(result);
          } catch (error) {
            log(`reconcile ${operator.name} N=${count} workers=${workers} failed: ${error.message}`);
            runs.push({ operator: operator.name, count, workers, error: error.message });
          }
        }
      }
      rows.push({
        section: `Reconcile: N = ${count} Widgets, ${workers} worker${workers > 1 ? 's' : ''} (${reps > 1 ? `median of ${reps}` : 'one run'})`,
      });
      const [ours, theirs] = operators.map((operator) => results[operator.name]);
      for (const [key, measure, unit, scale] of FIGURES) {
        const med = (list) => {
          const value = median(list.map((result) => result[key]));
          return value === undefined ? undefined : value * scale;
        };
        rows.push({ measure, unit, ours: med(ours), theirs: med(theirs) });
      }
    }
  }
  return { runs, rows };
}

/** A run's figures rounded for the log and the raw-data section. */
export function roundAll(result) {
  return Object.fromEntries(
    Object.entries(result).map(([key, value]) => [
      key,
      typeof value === 'number' ? Math.round(value * 100) / 100 : value,
    ]),
  );
}
