// The reconcile benchmark: for each N and worker count, `reps` runs of every operator on fresh
// control planes, rotating which operator goes first; returns every run's figures.
import { mkdirSync } from 'node:fs';
import { runScenario } from './scenario.js';

/** The figures of a run that become table rows: `[key, label, unit, scale]` (value × scale in unit). */
export const RECONCILE_FIGURES = [
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
 * Runs every scenario. `operators`: `{ name, command, args, env? }` or `{ name, unavailable }`
 * (skipped); `reps[i]` the repetitions for `counts[i]` (the last one for the rest);
 * `maxCountByOperator` (optional, `{ name: N }`) leaves an operator out above N. Returns `{ runs }`:
 * every run's figures, or `{ operator, count, workers, error }`.
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
  maxCountByOperator = {},
}) {
  mkdirSync(logDir, { recursive: true });
  const runnable = operators.filter((operator) => !operator.unavailable);
  const runs = [];
  let round = 0;
  for (const [index, count] of counts.entries()) {
    const reps = repsPerCount[Math.min(index, repsPerCount.length - 1)];
    for (const workers of workerCounts) {
      for (let rep = 0; rep < reps; rep++, round++) {
        const shift = round % Math.max(1, runnable.length);
        const order = [...runnable.slice(shift), ...runnable.slice(0, shift)];
        for (const operator of order) {
          const limit = maxCountByOperator[operator.name];
          if (limit !== undefined && count > limit) {
            if (rep === 0) runs.push({ operator: operator.name, count, workers, error: `skipped above N = ${limit}` });
            continue;
          }
          const timeoutMs = Math.max(120_000, count * 200);
          try {
            const result = await runScenario({ operator, count, workers, idleMs, crdDir, logDir, timeoutMs });
            log(`reconcile ${JSON.stringify(roundAll(result))}`);
            runs.push(result);
          } catch (error) {
            log(`reconcile ${operator.name} N=${count} workers=${workers} failed: ${error.message}`);
            runs.push({ operator: operator.name, count, workers, error: error.message });
          }
        }
      }
    }
  }
  return { runs };
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
