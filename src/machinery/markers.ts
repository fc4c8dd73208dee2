/**
 * Insertion at `+kubeforge:scaffold:<name>` markers: each fragment is placed on the lines just
 * above the marker, indented like it, unless the file already contains it — so inserting twice
 * changes nothing. The marker may sit in any comment style (`// +kubeforge:scaffold:imports`,
 * `# +kubeforge:scaffold:crdkustomizeresource`).
 */

export const MARKER_PREFIX = '+kubeforge:scaffold:';

export interface InsertionResult {
  text: string;
  /** Fragments that were not present and have been inserted. */
  inserted: string[];
  /** false when the file has no such marker (nothing inserted). */
  markerFound: boolean;
}

/** The comment line of a marker for a file type: `// +kubeforge:scaffold:imports`. */
export function markerComment(name: string, commentPrefix: '//' | '#'): string {
  return `${commentPrefix} ${MARKER_PREFIX}${name}`;
}

/** Whether a (possibly multi-line) fragment's lines appear, in order and whole, in the text (indentation ignored). */
export function containsFragment(text: string, fragment: string): boolean {
  const haystack = text.split('\n').map((line) => line.trim());
  const needle = fragment.split('\n').map((line) => line.trim());
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((line, offset) => haystack[start + offset] === line)) return true;
  }
  return false;
}

export function insertAtMarker(text: string, name: string, fragments: string[]): InsertionResult {
  const lines = text.split('\n');
  const markerPattern = new RegExp(`^(\\s*)(//|#)\\s*\\${MARKER_PREFIX}${name}\\s*$`);
  const markerIndex = lines.findIndex((line) => markerPattern.test(line));
  if (markerIndex < 0) return { text, inserted: [], markerFound: false };
  const indent = markerPattern.exec(lines[markerIndex])?.[1] ?? '';
  const inserted: string[] = [];
  let current = text;
  const additions: string[] = [];
  for (const fragment of fragments) {
    if (containsFragment(current, fragment)) continue;
    const indented = fragment.split('\n').map((line) => (line.length > 0 ? indent + line : line));
    additions.push(...indented);
    inserted.push(fragment);
    current = current + '\n' + fragment;
  }
  if (additions.length === 0) return { text, inserted, markerFound: true };
  lines.splice(markerIndex, 0, ...additions);
  return { text: lines.join('\n'), inserted, markerFound: true };
}
