/**
 * Where an imported type cannot be a CRD schema, its field (or declaration) is free-form JSON in
 * the CRD: its exact TypeScript type with `+kubebuilder:validation:Schemaless` and
 * `+kubebuilder:pruning:PreserveUnknownFields` (see marker-lines.ts). Two
 * reasons: a field on a `$ref` cycle (a CRD schema has no references, so a recursive type has no
 * finite schema; every field whose type reaches back to its own declaration is marked, which cuts
 * every cycle), and a node the combinators found unexpressible. A node belongs to the nearest
 * field above it (array items, map values and union members included), or to its declaration.
 */
import type { CombinedNode, Declarations } from './combinators.js';
import { childrenOf, isUntyped, type SchemaNode } from './schema-node.js';

/** The names each declaration refers to, directly or through others. */
function reachability(declarations: Declarations): Map<string, Set<string>> {
  const direct = new Map<string, Set<string>>();
  for (const [name, top] of declarations) {
    const refs = new Set<string>();
    const stack = [top];
    for (let node = stack.pop(); node; node = stack.pop()) {
      if (node.ref) refs.add(node.ref);
      for (const [, child] of childrenOf(node)) stack.push(child);
    }
    direct.set(name, refs);
  }
  const reach = new Map<string, Set<string>>();
  for (const name of declarations.keys()) {
    const seen = new Set<string>();
    const stack = [...direct.get(name)!];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...direct.get(next)!);
    }
    reach.set(name, seen);
  }
  return reach;
}

/** Marks the fields and declarations that are free-form in a CRD (`node.schemaless` says why). */
export function markSchemaless(declarations: Declarations): void {
  const reach = reachability(declarations);
  // A union or intersection with a free-form declaration is no CRD schema either: repeat until
  // no more are marked.
  const resolve = (node: SchemaNode): SchemaNode => (node.ref ? resolve(declarations.get(node.ref)!) : node);
  const looseNode = (node: SchemaNode) => !!node.schemaless || !!resolve(node).schemaless || isUntyped(resolve(node));
  const freeForm = (member: SchemaNode) => member.ref !== undefined && declarations.get(member.ref)!.schemaless;
  for (let marked = true; marked;) {
    marked = false;
    const mark = (owner: SchemaNode, reason: string) => {
      if (owner.schemaless) return;
      owner.schemaless = reason;
      marked = true;
    };
    for (const [name, top] of declarations) {
      const scan = (node: SchemaNode, owner: SchemaNode): void => {
        const reason = (node as CombinedNode).unexpressible;
        if (reason) mark(owner, reason);
        if (node.ref && (node.ref === name || reach.get(node.ref)!.has(name)))
          mark(owner, `its type ${node.ref} refers back to ${name}, and a CRD schema cannot be recursive`);
        const combined = [...(node.allOf ?? []), ...(node.anyOf ?? [])].find(freeForm);
        if (combined) mark(owner, `it combines ${combined.ref}, which is free-form in a CRD`);
        // A discriminated union's CEL rules name its members' fields, which CEL cannot see when free-form.
        const loose = (node.anyOf ?? []).some((member) =>
          Object.values(resolve(member).properties ?? {}).some(looseNode),
        );
        if (loose) mark(owner, 'its members have free-form fields, which the CEL rules of a union cannot name');
        // CEL cannot type a map of free-form values, so the apiserver refuses rules on its keys.
        const values = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
        if (node['x-kubernetes-validations'] && values && looseNode(values))
          mark(owner, 'its keys are checked by a CEL rule, which cannot type a map of free-form values');
        const properties = new Set(Object.values(node.properties ?? {}));
        for (const [, child] of childrenOf(node)) scan(child, properties.has(child) ? child : owner);
      };
      scan(top, top);
    }
  }
}
