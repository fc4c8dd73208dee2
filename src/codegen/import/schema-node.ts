/**
 * The schema `import` works on: a CRD's `JSONSchemaProps`, or a JSON Schema (draft-04 to 2020-12)
 * brought to the same shape by `normalize`: `const` is a one-value `enum`, `type: [T, 'null']` is
 * `nullable`, draft-06+ numeric `exclusiveMinimum`/`exclusiveMaximum` are `minimum` + the boolean
 * flag, a local `$ref` is `ref` (the name of its declaration), and `patternProperties` stay.
 */
import type { JSONSchemaProps } from '../schema/index.js';

type Children = 'properties' | 'items' | 'additionalProperties' | 'anyOf' | 'oneOf' | 'allOf';

export interface SchemaNode extends Omit<JSONSchemaProps, Children> {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  patternProperties?: Record<string, SchemaNode>;
  /** A resolved local `$ref`: the name of the declaration it points to. */
  ref?: string;
  /** Why this field (or declaration) cannot be a CRD schema, which keeps it as free-form JSON. */
  schemaless?: string;
}

/** Every child schema of a node with its path label (`.name`, `[]`, `[*]`, `|0`, `&0`, `~pattern`). */
export function childrenOf(node: SchemaNode): [string, SchemaNode][] {
  const children: [string, SchemaNode][] = Object.entries(node.properties ?? {}).map(([n, c]) => [`.${n}`, c]);
  if (node.items) children.push(['[]', node.items]);
  if (typeof node.additionalProperties === 'object') children.push(['[*]', node.additionalProperties]);
  for (const [pattern, child] of Object.entries(node.patternProperties ?? {})) children.push([`[~${pattern}]`, child]);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    (node[key] ?? []).forEach((child, i) => children.push([`.${key}[${i}]`, child]));
  return children;
}

/** A node with nothing but validations (`{required: [a]}`, `{minimum: 1}`): no type, shape or reference. */
export function isValidationOnly(node: SchemaNode): boolean {
  return (
    !node.type &&
    !node.ref &&
    !node.properties &&
    !node.items &&
    node.additionalProperties === undefined &&
    !node.patternProperties &&
    !node.enum &&
    !node.anyOf &&
    !node.oneOf &&
    !node.allOf &&
    !node['x-kubernetes-int-or-string'] &&
    !node['x-kubernetes-preserve-unknown-fields']
  );
}

/** A node TypeScript can only call `unknown`: no type, and nothing that implies or replaces one. */
export function isUntyped(node: SchemaNode): boolean {
  return (
    !node.type &&
    !node.ref &&
    !node.enum &&
    !node.items &&
    !node.properties &&
    !node.patternProperties &&
    typeof node.additionalProperties !== 'object' &&
    !node.allOf &&
    !node.anyOf?.some((member) => !isValidationOnly(member)) &&
    !node['x-kubernetes-int-or-string']
  );
}
