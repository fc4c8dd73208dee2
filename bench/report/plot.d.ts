/** Types of plot.js for its tests (the benchmark scripts are plain Node ESM). */
import type { Curve } from './reconcile.js';

export function niceTicks(max: number, target?: number): number[];
export function linearScale(domain: [number, number], range: [number, number]): (value: number) => number;
export function tickLabel(value: number): string;
export function scalePlotSvg(plot: {
  curves: Curve[];
  panels: { figure: 'createReadyS' | 'idleRssMiB'; title: string; unit: string }[];
  caption?: string;
}): string;
