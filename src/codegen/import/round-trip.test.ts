/**
 * Round trip: fixture types → `manifests` → CRD → `import` → TypeScript that compiles (strict, with
 * the real `@kubernetes/client-node` and `kubeforge/api` types) → `manifests` again → the same
 * schema. Descriptions of array items and of inlined type declarations are the only thing allowed
 * to differ (TypeScript has no place for them on an inline type).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { deepCrd } from '../../../test/codegen/deep-types.js';
import { CRD_FIXTURES, FixtureProjects } from '../../../test/codegen/fixture-projects.js';
import { shape } from '../../../test/codegen/import-harness.js';
import { strictTypeCheck } from '../../../test/codegen/strict-type-check.js';
import { generateManifests, importSchemas, type CustomResourceDefinition, type JSONSchemaProps } from '../index.js';

const FIXTURES = ['guestbook', 'validation', 'unions', 'crdmarkers', 'coretypes', 'merged', 'propertynames'];
const projects = new FixtureProjects();
afterAll(() => projects.cleanup());

async function crdOf(projectDir: string): Promise<{ text: string; crd: CustomResourceDefinition }> {
  const result = await generateManifests({ projectDir, kubeforgeVersion: '0.0.0-test' });
  const [text] = [...result.files].filter(([path]) => path.startsWith('config/crd/')).map(([, t]) => t);
  return { text, crd: parseAllDocuments(text)[0].toJS() as CustomResourceDefinition };
}

const schemaOf = (crd: CustomResourceDefinition) =>
  (crd.spec.versions[0].schema as { openAPIV3Schema: JSONSchemaProps }).openAPIV3Schema;

describe('types → manifests → import → manifests', () => {
  const imported = new Map<string, { kind: string; group: string; module: string; original: JSONSchemaProps }>();

  it('imports every fixture CRD', { timeout: 60_000 }, async () => {
    for (const name of FIXTURES) {
      const dir = projects.project(CRD_FIXTURES, name);
      const { text, crd } = await crdOf(dir);
      writeFileSync(join(dir, 'crd.yaml'), text);
      const [module] = await importSchemas(join(dir, 'crd.yaml'));
      expect(module.path).toBe(join(crd.spec.group, 'v1.ts'));
      expect(module.content).toContain(`export const ${crd.spec.names.kind}Kind = {`);
      imported.set(name, {
        kind: crd.spec.names.kind,
        group: crd.spec.group,
        module: module.content,
        original: schemaOf(crd),
      });
    }
  });

  it(
    'produces modules that type-check strictly against client-node and kubeforge/api',
    { timeout: 120_000 },
    async () => {
      expect([...imported.keys()]).toEqual(FIXTURES);
      const modules = [...imported].map(([name, { module }]) => ({ path: `${name}.ts`, content: module }));
      const problems = await strictTypeCheck('.roundtrip', modules);
      expect(problems).toEqual([]);
    },
  );

  it.each(FIXTURES)('regenerates the same schema from the imported %s types', { timeout: 30_000 }, async (name) => {
    const { kind, group, module, original } = imported.get(name)!;
    const dir = projects.project(CRD_FIXTURES, name);
    mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
    const types =
      `// +groupName=${group}\n` +
      module.replace(`export interface ${kind} {`, `// +kubebuilder:object:root=true\nexport interface ${kind} {`);
    writeFileSync(join(dir, 'api', 'v1', `${name}.types.ts`), types);
    const { crd } = await crdOf(dir);
    expect(shape(schemaOf(crd))).toEqual(shape(original));
  });

  it(
    'imports a CRD nested 200 levels as types that compile and regenerate the same schema',
    { timeout: 60_000 },
    async () => {
      const dir = projects.project(CRD_FIXTURES, 'guestbook');
      const crd = deepCrd(200);
      writeFileSync(join(dir, 'deep.json'), JSON.stringify(crd));
      const [module] = await importSchemas(join(dir, 'deep.json'));
      // Object types 32 levels below the last declaration become declarations of their own.
      expect(module.content).toContain('export interface A2 {');
      expect(await strictTypeCheck('.roundtrip-deep', [{ path: 'deep.ts', content: module.content }])).toEqual([]);
      const types =
        '// +groupName=deep.example.com\n' +
        module.content.replace('export interface Deep {', '// +kubebuilder:object:root=true\nexport interface Deep {');
      writeFileSync(join(dir, 'api', 'v1', 'guestbook.types.ts'), types);
      const original = (crd.spec as { versions: { schema: { openAPIV3Schema: JSONSchemaProps } }[] }).versions[0];
      expect(shape(schemaOf((await crdOf(dir)).crd))).toEqual(shape(original.schema.openAPIV3Schema));
    },
  );
});
