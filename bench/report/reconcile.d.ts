/** Types of reconcile.js for its tests (the benchmark scripts are plain Node ESM). */
import type { TableRow } from '../report.js';

export interface Run {
  operator: string;
  count: number;
  workers: number;
  error?: string;
  [figure: string]: number | string | undefined;
}
export interface CurvePoint {
  count: number;
  createReadyS?: number;
  idleRssMiB?: number;
}
export interface Curve {
  name: string;
  points: CurvePoint[];
}
export type Figure = [key: string, label: string, unit: string, scale: number];
export interface Batch {
  counts: number[];
  workerCounts: number[];
  reps: number[];
}
export function reconcileBatches(plan: {
  counts: number[];
  workerCounts: number[];
  reps: number[];
  workersMaxCount: number;
}): Batch[];
export function reconcileRows(input: { runs: Run[]; operators: string[]; figures: Figure[] }): {
  rows: TableRow[];
  notes: string[];
};
export function scaleCurves(input: { runs: Run[]; operators: string[]; workers: number }): Curve[];
export function cacheCostKiBPerObject(points: CurvePoint[], from: number, to: number): number | undefined;
export function scaleCurveRows(curves: Curve[]): TableRow[];
export function peerMaxCounts(text: string, peers: string[]): Record<string, number>;
