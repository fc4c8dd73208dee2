import { describe, expect, it } from 'vitest';
import type { Figure, Run } from './reconcile.js';
import {
  cacheCostKiBPerObject,
  peerMaxCounts,
  reconcileBatches,
  reconcileRows,
  scaleCurveRows,
  scaleCurves,
} from './reconcile.js';

const FIGURES: Figure[] = [
  ['createReadyMs', 'create N: time to all Ready', 's', 1 / 1000],
  ['idleRssMiB', 'idle RSS', 'MiB', 1],
];

const run = (operator: string, count: number, workers: number, createReadyMs: number, idleRssMiB: number): Run => ({
  operator,
  count,
  workers,
  createReadyMs,
  idleRssMiB,
});

describe('reconcileBatches', () => {
  it('runs every worker count up to the limit and only the first one above it, with the reps of each N', () => {
    expect(
      reconcileBatches({ counts: [1000, 5000, 20000], workerCounts: [1, 4], reps: [3, 1], workersMaxCount: 5000 }),
    ).toEqual([
      { counts: [1000, 5000], workerCounts: [1, 4], reps: [3, 1] },
      { counts: [20000], workerCounts: [1], reps: [1] },
    ]);
  });

  it('is one batch when no N is above the limit', () => {
    expect(reconcileBatches({ counts: [200], workerCounts: [1, 4], reps: [3], workersMaxCount: 5000 })).toEqual([
      { counts: [200], workerCounts: [1, 4], reps: [3] },
    ]);
  });
});

describe('peerMaxCounts', () => {
  const peers = ['client-node', 'fluent-client'];

  it('gives every peer a bare N and one peer its NAME=N, later entries winning', () => {
    expect(peerMaxCounts('5000', peers)).toEqual({ 'client-node': 5000, 'fluent-client': 5000 });
    expect(peerMaxCounts('client-node=5000,fluent-client=1000', peers)).toEqual({
      'client-node': 5000,
      'fluent-client': 1000,
    });
    expect(peerMaxCounts('20000,fluent-client=1000', peers)).toEqual({ 'client-node': 20000, 'fluent-client': 1000 });
  });

  it('rejects unknown peers and counts that are not positive integers', () => {
    expect(() => peerMaxCounts('pepr=1000', peers)).toThrow(/names: client-node, fluent-client/);
    expect(() => peerMaxCounts('client-node=many', peers)).toThrow(/got "client-node=many"/);
    expect(() => peerMaxCounts('0', peers)).toThrow(/expected N or NAME=N/);
  });
});

describe('reconcileRows', () => {
  it('gives a section per N and workers and the median of each operator, in column order', () => {
    const runs = [
      run('go', 1000, 1, 9000, 40),
      run('kubeforge', 1000, 1, 10000, 60),
      run('kubeforge', 1000, 1, 14000, 62),
      run('kubeforge', 1000, 1, 12000, 61),
      run('go', 1000, 1, 8000, 41),
      run('go', 1000, 1, 10000, 42),
      run('kubeforge', 5000, 1, 30000, 90),
      run('go', 5000, 1, 28000, 70),
    ];
    const { rows, notes } = reconcileRows({ runs, operators: ['kubeforge', 'go', 'client-node'], figures: FIGURES });
    expect(rows).toEqual([
      { section: 'Reconcile: N = 1000 Widgets, 1 worker (median of 3)' },
      { measure: 'create N: time to all Ready', unit: 's', values: [12, 9, undefined] },
      { measure: 'idle RSS', unit: 'MiB', values: [61, 41, undefined] },
      { section: 'Reconcile: N = 5000 Widgets, 1 worker (one run)' },
      { measure: 'create N: time to all Ready', unit: 's', values: [30, 28, undefined] },
      { measure: 'idle RSS', unit: 'MiB', values: [90, 70, undefined] },
    ]);
    expect(notes).toEqual([]);
  });

  it('takes the median of the successful runs and notes the failed ones', () => {
    const runs: Run[] = [
      run('kubeforge', 200, 4, 2000, 50),
      { operator: 'kubeforge', count: 200, workers: 4, error: 'create not Ready after 120000 ms (150/201)' },
      run('kubeforge', 200, 4, 4000, 52),
    ];
    const { rows, notes } = reconcileRows({ runs, operators: ['kubeforge'], figures: FIGURES });
    expect(rows[0]).toEqual({ section: 'Reconcile: N = 200 Widgets, 4 workers (median of 3)' });
    expect(rows[1]).toEqual({ measure: 'create N: time to all Ready', unit: 's', values: [2] });
    expect(notes).toEqual([
      'kubeforge, N = 200, 4 workers: 1 of 3 runs failed (create not Ready after 120000 ms (150/201)).',
    ]);
  });
});

describe('scaleCurves', () => {
  it('gives each operator its points at the chosen worker count by ascending N, skipping N it has no successful run at', () => {
    const runs: Run[] = [
      run('kubeforge', 5000, 1, 30000, 90),
      run('kubeforge', 1000, 1, 10000, 60),
      run('kubeforge', 1000, 4, 5000, 65),
      run('peer', 1000, 1, 20000, 80),
      { operator: 'peer', count: 5000, workers: 1, error: 'exited' },
    ];
    expect(scaleCurves({ runs, operators: ['kubeforge', 'peer'], workers: 1 })).toEqual([
      {
        name: 'kubeforge',
        points: [
          { count: 1000, createReadyS: 10, idleRssMiB: 60 },
          { count: 5000, createReadyS: 30, idleRssMiB: 90 },
        ],
      },
      { name: 'peer', points: [{ count: 1000, createReadyS: 20, idleRssMiB: 80 }] },
    ]);
  });
});

describe('cacheCostKiBPerObject', () => {
  it('is the idle RSS growth between two N per added object, in KiB', () => {
    const points = [
      { count: 1000, idleRssMiB: 60 },
      { count: 5000, idleRssMiB: 80 },
      { count: 20000, idleRssMiB: 200 },
    ];
    expect(cacheCostKiBPerObject(points, 1000, 5000)).toBeCloseTo((20 * 1024) / 4000);
    expect(cacheCostKiBPerObject(points, 5000, 20000)).toBeCloseTo((120 * 1024) / 15000);
  });

  it('is undefined when either N was not measured', () => {
    expect(cacheCostKiBPerObject([{ count: 1000, idleRssMiB: 60 }], 1000, 5000)).toBeUndefined();
  });
});

describe('scaleCurveRows', () => {
  it('lists time and idle RSS per N and the cache cost between the first two N', () => {
    const rows = scaleCurveRows([
      {
        name: 'kubeforge',
        points: [
          { count: 1000, createReadyS: 10, idleRssMiB: 60 },
          { count: 5000, createReadyS: 30, idleRssMiB: 80 },
          { count: 20000, createReadyS: 120, idleRssMiB: 200 },
        ],
      },
      { name: 'peer', points: [{ count: 1000, createReadyS: 20, idleRssMiB: 90 }] },
    ]);
    expect(rows).toEqual([
      { section: 'N = 1000 Widgets' },
      { measure: 'create N: time to all Ready', unit: 's', values: [10, 20] },
      { measure: 'idle RSS', unit: 'MiB', values: [60, 90] },
      { section: 'N = 5000 Widgets' },
      { measure: 'create N: time to all Ready', unit: 's', values: [30, undefined] },
      { measure: 'idle RSS', unit: 'MiB', values: [80, undefined] },
      { section: 'N = 20000 Widgets' },
      { measure: 'create N: time to all Ready', unit: 's', values: [120, undefined] },
      { measure: 'idle RSS', unit: 'MiB', values: [200, undefined] },
      { section: 'Per-object cache cost: idle RSS slope from N = 1000 to 5000' },
      { measure: 'per Widget (and its ConfigMap)', unit: 'KiB', values: [(20 * 1024) / 4000, undefined] },
    ]);
  });

  it('has no cache cost row with a single N', () => {
    const rows = scaleCurveRows([{ name: 'kubeforge', points: [{ count: 200, createReadyS: 2, idleRssMiB: 50 }] }]);
    expect(rows.map((row) => ('section' in row ? row.section : row.measure))).toEqual([
      'N = 200 Widgets',
      'create N: time to all Ready',
      'idle RSS',
    ]);
  });
});
