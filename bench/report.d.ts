/** Types of report.js for bench/report.test.ts (the benchmark scripts are plain Node ESM). */
export interface TableRow {
  measure?: string;
  unit?: string;
  ours?: number;
  theirs?: number;
  section?: string;
}
export function median(values: (number | undefined)[]): number | undefined;
export function ratio(ours: number | undefined, theirs: number | undefined): string;
export function formatValue(value: number | undefined, unit: string): string;
export function markdownTable(rows: TableRow[]): string;
export function machineLine(): string;
