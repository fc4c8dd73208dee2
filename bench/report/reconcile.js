// Pure parts of the reconcile benchmark's report: which (N, workers) batches to run, the table rows
// (medians per operator) built from every run's figures, the scale curve (time to all Ready and
// idle RSS versus N, one worker) and the per-object cache cost. Tested by reconcile.test.ts.
import { median } from '../report.js';

/**
 * The batches of runs for `counts` (ascending or not), `reps[i]` repetitions for `counts[i]` (the
 * last for the rest): every worker count up to `workersMaxCount`, only the first worker count
 * above it (the larger N are points of the one-worker scale curve).
 * Returns `[{ counts, workerCounts, reps }]`, the arguments of one benchReconcile call each.
 */
export function reconcileBatches({ counts, workerCounts, reps, workersMaxCount }) {
  const repsFor = (index) => reps[Math.min(index, reps.length - 1)];
  const batches = [];
  for (const [index, count] of counts.entries()) {
    const batchWorkers = count <= workersMaxCount ? workerCounts : workerCounts.slice(0, 1);
    const last = batches.at(-1);
    if (last && last.workerCounts.join() === batchWorkers.join()) {
      last.counts.push(count);
      last.reps.push(repsFor(index));
    } else batches.push({ counts: [count], workerCounts: batchWorkers, reps: [repsFor(index)] });
  }
  return batches;
}

/**
 * `--peer-max-count`: `N` for every peer, or `name=N` pairs, comma-separated (a later entry wins).
 * Returns `{ name: N }` for the names of `peers`.
 */
export function peerMaxCounts(text, peers) {
  const limits = {};
  for (const entry of text.split(',')) {
    const [name, value] = entry.includes('=') ? entry.split('=') : [undefined, entry];
    const count = Number(value);
    if (!Number.isInteger(count) || count < 1 || (name !== undefined && !peers.includes(name)))
      throw new Error(`--peer-max-count: expected N or NAME=N (names: ${peers.join(', ')}), got "${entry}"`);
    for (const peer of name === undefined ? peers : [name]) limits[peer] = count;
  }
  return limits;
}

/** Median of `key` over the runs that measured it (a failed run has no figures), times `scale`; undefined when none did. */
function medianOf(runs, key, scale = 1) {
  const value = median(runs.map((run) => run[key]));
  return value === undefined ? undefined : value * scale;
}

/** The (count, workers) pairs of `runs`, by count then workers. */
function pairsOf(runs) {
  const keys = new Map(runs.map((run) => [`${run.count}/${run.workers}`, { count: run.count, workers: run.workers }]));
  return [...keys.values()].sort((a, b) => a.count - b.count || a.workers - b.workers);
}

/**
 * Table rows from every run: per (N, workers) a section line and one row per figure of `figures`
 * (`[key, label, unit, scale]`) with the median of each operator of `operators` (names, column
 * order). Failed runs count for no median; each operator that had any gets a note.
 * Returns `{ rows, notes }`.
 */
export function reconcileRows({ runs, operators, figures }) {
  const rows = [];
  const notes = [];
  for (const { count, workers } of pairsOf(runs)) {
    const byOperator = operators.map((name) =>
      runs.filter((run) => run.operator === name && run.count === count && run.workers === workers),
    );
    const reps = Math.max(...byOperator.map((list) => list.length));
    rows.push({
      section: `Reconcile: N = ${count} Widgets, ${workers} worker${workers > 1 ? 's' : ''} (${reps > 1 ? `median of ${reps}` : 'one run'})`,
    });
    for (const [key, measure, unit, scale] of figures)
      rows.push({ measure, unit, values: byOperator.map((list) => medianOf(list, key, scale)) });
    for (const [index, list] of byOperator.entries()) {
      const failed = list.filter((run) => run.error);
      if (failed.length > 0)
        notes.push(
          `${operators[index]}, N = ${count}, ${workers} worker${workers > 1 ? 's' : ''}: ${failed.length} of ${list.length} runs failed (${failed[0].error}).`,
        );
    }
  }
  return { rows, notes };
}

/**
 * The scale curve of each operator at `workers`: `[{ name, points: [{ count, createReadyS,
 * idleRssMiB }] }]`, points by ascending N, only where the operator has a successful run.
 */
export function scaleCurves({ runs, operators, workers }) {
  const counts = [...new Set(runs.filter((run) => run.workers === workers).map((run) => run.count))].sort(
    (a, b) => a - b,
  );
  return operators.map((name) => {
    const points = counts.map((count) => {
      const own = runs.filter((run) => run.operator === name && run.workers === workers && run.count === count);
      return {
        count,
        createReadyS: medianOf(own, 'createReadyMs', 1 / 1000),
        idleRssMiB: medianOf(own, 'idleRssMiB'),
      };
    });
    return { name, points: points.filter((point) => point.createReadyS !== undefined) };
  });
}

/** Growth of idle RSS per object between N = `from` and N = `to` of `points`, in KiB; undefined if either is missing. */
export function cacheCostKiBPerObject(points, from, to) {
  const at = (count) => points.find((point) => point.count === count)?.idleRssMiB;
  const [low, high] = [at(from), at(to)];
  if (low === undefined || high === undefined || to === from) return undefined;
  return ((high - low) * 1024) / (to - from);
}

/**
 * Rows of the scale-curve table (columns: the curves' operators): per N, time to all Ready and
 * idle RSS; then the per-object cache cost between the first two N when there are two.
 */
export function scaleCurveRows(curves) {
  const counts = [...new Set(curves.flatMap((curve) => curve.points.map((point) => point.count)))].sort(
    (a, b) => a - b,
  );
  const at = (curve, count) => curve.points.find((point) => point.count === count);
  const rows = [];
  for (const count of counts)
    rows.push(
      { section: `N = ${count} Widgets` },
      {
        measure: 'create N: time to all Ready',
        unit: 's',
        values: curves.map((curve) => at(curve, count)?.createReadyS),
      },
      { measure: 'idle RSS', unit: 'MiB', values: curves.map((curve) => at(curve, count)?.idleRssMiB) },
    );
  if (counts.length >= 2) {
    const [from, to] = counts;
    rows.push(
      { section: `Per-object cache cost: idle RSS slope from N = ${from} to ${to}` },
      {
        measure: 'per Widget (and its ConfigMap)',
        unit: 'KiB',
        values: curves.map((curve) => cacheCostKiBPerObject(curve.points, from, to)),
      },
    );
  }
  return rows;
}
