/**
 * Deep types, generated: past MAX_NESTING levels every shape (fields, array items, map values,
 * bases, intersections, inline literals) fails with one file:line error naming the path, never a
 * stack overflow; up to the limit every shape generates. The apiserver side is
 * test/codegen/deep-types.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { writeDeepProject, type Shape } from '../../test/codegen/deep-types.js';
import { ManifestError } from '../errors.js';
import { generateManifests, type CustomResourceDefinition, type JSONSchemaProps } from './index.js';

const work = mkdtempSync(join(tmpdir(), 'kubeforge-deep-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let projects = 0;
async function generate(
  shape: Shape,
  count: number,
): Promise<{ error?: ManifestError; crd?: CustomResourceDefinition }> {
  const projectDir = join(work, `${shape}-${count}-${++projects}`);
  writeDeepProject(projectDir, shape, count);
  try {
    const { files } = await generateManifests({ projectDir, kubeforgeVersion: '0.0.0-test' });
    return { crd: parse(files.get('config/crd/bases/deep.example.com_widgets.yaml')!) as CustomResourceDefinition };
  } catch (error) {
    if (error instanceof ManifestError) return { error };
    throw error;
  }
}

describe('types nested deeper than kubeforge builds', { timeout: 60_000 }, () => {
  it('refuses a chain of 1000 interfaces at the field past the limit, with the path to it', async () => {
    const { error } = await generate('fields', 1000);
    expect(error?.problems).toHaveLength(1);
    // A<i> is declared on line i; Widget.spec is level 1, so A256's field is level 257.
    expect(error?.message).toContain(
      'api/v1/deep.types.ts:256: Widget.spec → A1.a → A2.a → … 251 more levels … → A254.a → A255.a → A256.a nests types more than 256 levels deep',
    );
    expect(error?.message).toContain('flatten the type, or keep the deep part as free-form JSON');
  });

  it.each<[Shape, number, string]>([
    ['arrays', 1000, '128: Widget.spec → A1.a[] → A2 → … 250 more levels … → A127.a[] → A128.a[] nests'],
    ['maps', 1000, '128: Widget.spec → A1.a[*] → A2 → … 250 more levels … → A127.a[*] → A128.a[*] nests'],
    [
      'bases',
      1000,
      '255: Widget.spec → A1 → A2 → A3 → A4 → … 247 more levels … → A251 → A252 → A253 → A254 → A255.x255 nests',
    ],
    ['intersections', 1000, '128: Widget.spec → A1.a → A2.a → … 246 more levels … → A126.a → A127.a → A128.b128 nests'],
    ['inline', 400, '1: Widget.spec → A1.a.a.a → … 248 more levels … .a.a.a.a.a.a nests'],
  ])(
    'refuses %s nested past the limit at file:line with the path, not a stack overflow',
    async (shape, count, path) => {
      const { error } = await generate(shape, count);
      expect(error?.problems).toHaveLength(1);
      expect(error?.message).toContain(`api/v1/deep.types.ts:${path} types more than 256 levels deep`);
    },
  );

  it('reports a file too deep for the TypeScript parser at its deepest line, not as a stack overflow', async () => {
    const { error } = await generate('inline', 20_000);
    expect(error?.message).toContain(
      'api/v1/deep.types.ts:1: types nest too deeply here to be read: declare the nested object types as named interfaces',
    );
  });
});

describe('types nested up to the limit', { timeout: 60_000 }, () => {
  /** How many levels of `properties` (and items, additionalProperties) the schema has below its root. */
  function depthOf(schema: JSONSchemaProps): number {
    let depth = 0;
    for (let level = [schema]; level.length > 0; depth++) {
      level = level.flatMap((node) => [
        ...Object.values(node.properties ?? {}),
        ...(node.items ? [node.items] : []),
        ...(typeof node.additionalProperties === 'object' ? [node.additionalProperties] : []),
      ]);
    }
    return depth - 1;
  }

  it('generates a chain whose deepest field is exactly at the limit, and refuses one more', async () => {
    // Widget.spec is level 1, A<i>.a level i + 1, A255.leaf level 256.
    const { crd, error } = await generate('fields', 254);
    expect(error).toBeUndefined();
    const schema = crd!.spec.versions[0].schema as { openAPIV3Schema: JSONSchemaProps };
    expect(depthOf(schema.openAPIV3Schema)).toBe(256);
    expect((await generate('fields', 255)).error?.message).toContain('A255.a → A256.leaf nests types more than');
  });

  it.each<[Shape, number]>([
    ['arrays', 125],
    ['maps', 125],
    ['bases', 250],
    ['intersections', 125],
    ['inline', 250],
  ])('generates %s nested close to the limit (%i links)', async (shape, count) => {
    const { crd, error } = await generate(shape, count);
    expect(error?.message).toBeUndefined();
    expect(crd?.spec.names.kind).toBe('Widget');
  });
});
