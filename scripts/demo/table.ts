/** Plain-text tables as kubectl prints them: upper-case headers, columns padded by three spaces. */
export function formatTable(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (cell === undefined || cell === '' ? '<none>' : String(cell)))),
  ];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] + 3)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/** "42s", "3m", "2h" like kubectl's AGE column. */
export function age(timestamp: string | Date | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const seconds = Math.max(0, Math.round((now - new Date(timestamp).getTime()) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}
