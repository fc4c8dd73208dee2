/**
 * How a writing command tells people what it did: one line per touched path (CREATE, UPDATE or
 * SKIP with the reason), then a one-line summary. A dry run says what would happen and that
 * nothing was written.
 */
import type { FileChange } from '../machinery/index.js';
import type { CliIO } from './io.js';

export function reportChanges(io: CliIO, changes: FileChange[], options: { dryRun: boolean }): void {
  for (const change of changes) {
    io.print(`${change.action.padEnd(6)} ${change.path}${change.detail ? ` (${change.detail})` : ''}`);
  }
  const count = (action: FileChange['action']) => changes.filter((change) => change.action === action).length;
  const created = count('CREATE');
  const updated = count('UPDATE');
  const skipped = count('SKIP');
  if (created + updated === 0) {
    io.print(options.dryRun ? 'Dry run: no changes would be made.' : 'No changes: everything is already in place.');
  } else if (options.dryRun) {
    io.print(`Dry run: would create ${created}, update ${updated}, skip ${skipped}; nothing written.`);
  } else {
    io.print(`Created ${created}, updated ${updated}, skipped ${skipped}.`);
  }
}

/** Prints notes for the user (missing markers, follow-up steps) after the report. */
export function reportNotes(io: CliIO, notes: string[]): void {
  for (const note of notes) io.print(`note: ${note}`);
}
