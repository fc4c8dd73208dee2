/**
 * How deep an imported schema nests, measured with an explicit stack (the schema may be deeper than
 * any recursion could follow): kubeforge imports what `kubeforge manifests` can generate again,
 * schemas nested at most MAX_NESTING levels (each property, array item, map value and member of
 * anyOf/oneOf/allOf is a level).
 */
import type { JSONSchemaProps } from '../schema/index.js';
import { MAX_NESTING } from '../source/index.js';

interface Step {
  schema: JSONSchemaProps;
  level: number;
  path: string[];
}

/** The path (`.spec`, `.a`, `[]`, `[*]`, …) to the first node nested deeper than MAX_NESTING levels. */
export function tooDeepAt(schema: JSONSchemaProps): string[] | undefined {
  const stack: Step[] = [{ schema, level: 0, path: [] }];
  for (let step = stack.pop(); step; step = stack.pop()) {
    const { schema: node, level, path } = step;
    if (level > MAX_NESTING) return path;
    const down = (child: JSONSchemaProps, label: string): Step => ({
      schema: child,
      level: level + 1,
      path: label ? [...path, label] : path,
    });
    for (const [name, child] of Object.entries(node.properties ?? {})) stack.push(down(child, `.${name}`));
    if (node.items) stack.push(down(node.items, '[]'));
    if (typeof node.additionalProperties === 'object') stack.push(down(node.additionalProperties, '[*]'));
    for (const member of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])])
      stack.push(down(member, ''));
  }
  return undefined;
}
