/**
 * Generated API types nested many levels deep, in each shape that adds a level: fields
 * (`A1 { a?: A2 }`), array items, map values, base interfaces, intersection members and inline
 * type literals. Shared by the unit tests of the depth limit and the apiserver test of a chain at
 * the limit.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Shape = 'fields' | 'arrays' | 'maps' | 'bases' | 'intersections' | 'inline';

const LINK: Record<Exclude<Shape, 'inline'>, (i: number) => string> = {
  fields: (i) => `export interface A${i} { a?: A${i + 1}; }`,
  arrays: (i) => `export interface A${i} { a?: A${i + 1}[]; }`,
  maps: (i) => `export interface A${i} { a?: Record<string, A${i + 1}>; }`,
  bases: (i) => `export interface A${i} extends A${i + 1} { x${i}?: string; }`,
  intersections: (i) => `export type A${i} = { a?: A${i + 1} } & { b${i}?: string };`,
};

const ROOT = [
  "import type { V1ObjectMeta } from '@kubernetes/client-node';",
  '',
  '// +kubebuilder:object:root=true',
  'export interface Widget {',
  '  apiVersion?: string;',
  '  kind?: string;',
  '  metadata?: V1ObjectMeta;',
  '  spec?: A1;',
  '}',
];

/**
 * `api/v1/deep.types.ts`: `count` links of `shape` from `Widget.spec` down, `A<i>` declared on line
 * i (inline: one line, `count` nested literals). The project's group is deep.example.com.
 */
export function writeDeepProject(projectDir: string, shape: Shape, count: number): string {
  const lines =
    shape === 'inline'
      ? [`export interface A1 { a?: ${'{ a?: '.repeat(count)}string${' }'.repeat(count)} }`]
      : [
          ...Array.from({ length: count }, (_, i) => LINK[shape](i + 1)),
          `export interface A${count + 1} { leaf?: string; }`,
        ];
  const dir = join(projectDir, 'api', 'v1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'groupversion.ts'), '// +groupName=deep.example.com\nexport {};\n');
  const path = join(dir, 'deep.types.ts');
  writeFileSync(path, [...lines, ...ROOT].join('\n') + '\n');
  return path;
}

/**
 * A CRD (kind Deep, group deep.example.com) whose spec nests `levels` objects, `spec.a.a.….leaf`,
 * each documented and validated (MinProperties), for `kubeforge import`.
 */
export function deepCrd(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'object', properties: { leaf: { type: 'string' } } };
  for (let level = levels; level > 0; level--) {
    schema = { type: 'object', description: `level ${level}`, minProperties: 1, properties: { a: schema } };
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'deeps.deep.example.com' },
    spec: {
      group: 'deep.example.com',
      names: { kind: 'Deep', listKind: 'DeepList', plural: 'deeps', singular: 'deep' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { metadata: { type: 'object' }, spec: schema } } },
        },
      ],
    },
  };
}
