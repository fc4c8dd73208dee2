/**
 * Insertion at `+kubeforge:scaffold:<name>` markers: each fragment is placed on the lines just
 * above the marker, indented like it, unless the file already contains it — so inserting twice
 * changes nothing. The marker is a comment line of the file's own syntax (`// +kubeforge:scaffold:imports`
 * in TypeScript, `# +kubeforge:scaffold:crdkustomizeresource` in YAML).
 */
import { lineKinds, type CommentSyntax } from './line-kinds.js';

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

/**
 * Whether a (possibly multi-line) fragment's lines appear, in order and whole, as code lines of the
 * text (indentation ignored): a copy inside a string or a comment does not count.
 */
export function containsFragment(text: string, fragment: string, syntax: CommentSyntax = 'lines'): boolean {
  const kinds = lineKinds(text, syntax);
  const haystack = text.split('\n').map((line, index) => (kinds[index] === 'code' ? line.trim() : undefined));
  const needle = fragment.split('\n').map((line) => line.trim());
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((line, offset) => haystack[start + offset] === line)) return true;
  }
  return false;
}

/**
 * Inserts fragments above the first `+kubeforge:scaffold:<name>` marker of the text. Only a real
 * comment line counts (see line-kinds.ts): the same text inside a string, a template literal, a
 * block comment or a YAML block scalar is never edited.
 */
export function insertAtMarker(
  text: string,
  name: string,
  fragments: string[],
  syntax: CommentSyntax = 'lines',
): InsertionResult {
  const lines = text.split('\n');
  const markerPattern = new RegExp(`^(\\s*)(//|#)\\s*\\${MARKER_PREFIX}${name}\\s*$`);
  const kinds = lineKinds(text, syntax);
  const markerIndex = lines.findIndex((line, index) => kinds[index] === 'comment' && markerPattern.test(line));
  if (markerIndex < 0) return { text, inserted: [], markerFound: false };
  const indent = markerPattern.exec(lines[markerIndex])?.[1] ?? '';
  const inserted: string[] = [];
  const additions: string[] = [];
  for (const fragment of fragments) {
    if (containsFragment(text, fragment, syntax) || containsFragment(additions.join('\n'), fragment, syntax)) continue;
    additions.push(...fragment.split('\n').map((line) => (line.length > 0 ? indent + line : line)));
    inserted.push(fragment);
  }
  if (additions.length === 0) return { text, inserted, markerFound: true };
  lines.splice(markerIndex, 0, ...additions);
  return { text: lines.join('\n'), inserted, markerFound: true };
}
