/**
 * The CEL rules that check a map's keys against its patternProperties, where the apiserver can
 * afford them: its cost estimate multiplies by the size of every list and map around a rule, so a
 * key rule inside another (unbounded) list or map exceeds the budget and the CRD is refused. Such
 * a map keeps its value type; its keys go unchecked (docs/manifests.md).
 */
import type { CombinedNode, Declarations } from './combinators.js';
import { childrenOf, type SchemaNode } from './schema-node.js';

/** Adds each map's key rule unless the map is (through references) inside a list or another map. */
export function placeKeyRules(declarations: Declarations, root: string): void {
  const nested = new Set<SchemaNode>();
  const seen = new Set<string>();
  const stack: [SchemaNode, boolean][] = [[declarations.get(root)!, false]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, inCollection] = next;
    if (inCollection) nested.add(node);
    if (node.ref) {
      const key = `${node.ref} ${inCollection}`;
      if (!seen.has(key)) stack.push([declarations.get(node.ref)!, inCollection]);
      seen.add(key);
    }
    for (const [label, child] of childrenOf(node))
      stack.push([child, inCollection || label === '[]' || label === '[*]']);
  }
  for (const top of declarations.values()) {
    const all = [top];
    for (let node = all.pop() as CombinedNode | undefined; node; node = all.pop()) {
      if (node.keyRule && !nested.has(node))
        node['x-kubernetes-validations'] = [...(node['x-kubernetes-validations'] ?? []), node.keyRule];
      all.push(...childrenOf(node).map(([, child]) => child));
    }
  }
}
