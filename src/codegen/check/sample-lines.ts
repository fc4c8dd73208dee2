/**
 * The line of a sample YAML document that an apiserver error's field names (`spec.replicas`,
 * `spec.ports[1].name`, `metadata.labels[app]`): the key's line, or the closest existing parent's
 * when the field is missing (a required field), or the document's first line.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** `spec.ports[1].name` → `['spec', 'ports', 1, 'name']`; bracketed non-numbers are map keys. */
function segmentsOf(field: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else segments.push(/^\d+$/.test(match[2]) ? Number(match[2]) : match[2]);
  }
  return segments;
}

const lineOf = (node: { range?: [number, number, number] | null } | null | undefined, lines: LineCounter) =>
  node?.range ? lines.linePos(node.range[0]).line : undefined;

export function sampleLine(document: Document, lines: LineCounter, field: string): number {
  let node = document.contents as Node | null;
  let line = lineOf(node, lines) ?? 1;
  for (const segment of segmentsOf(field)) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment),
      );
      if (!pair) break;
      line = lineOf(pair.key as Node, lines) ?? line;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment] as Node;
      line = lineOf(node, lines) ?? line;
    } else break;
  }
  return line;
}
