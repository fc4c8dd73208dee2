/** Types of report.js for bench/report.test.ts (the benchmark scripts are plain Node ESM). */
export type TableRow = { section: string } | { measure: string; unit: string; values: (number | undefined)[] };
export function median(values: (number | undefined)[]): number | undefined;
export function ratio(ours: number | undefined, theirs: number | undefined): string;
export function formatValue(value: number | undefined, unit: string): string;
export function markdownTable(table: { columns: string[]; ratios?: [number, number][]; rows: TableRow[] }): string;
export function machineLine(): string;
