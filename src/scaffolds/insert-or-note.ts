/**
 * Marker insertion for scaffolds that must not fail when a user removed a marker: the fragments go
 * in where the marker is, and where it is not, a note tells the user what to add by hand.
 */
import type { Tree } from '../machinery/index.js';

/** Inserts at `+kubeforge:scaffold:<marker>` in `path`, or pushes onto `notes` what to add yourself. */
export function insertOrNote(tree: Tree, notes: string[], path: string, marker: string, fragments: string[]): void {
  if (!tree.insert(path, marker, fragments)) {
    notes.push(`${path} has no +kubeforge:scaffold:${marker} marker; add yourself:\n    ${fragments.join('\n    ')}`);
  }
}
