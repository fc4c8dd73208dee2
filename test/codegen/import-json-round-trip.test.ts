/**
 * JSON schemas with `$ref`s, unions, intersections, consts and pattern properties
 * (fixtures/import/pipeline.schema.json, widget.schema.json) against the real apiserver (the run's
 * shared envtest): import → strict TypeScript → manifests (the schema as the spec of a kind) → the
 * apiserver establishes the CRD and enforces the imported validations → import of that CRD →
 * strict TypeScript.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importSchemas } from '../../src/codegen/index.js';
import { installCRDs } from '../../src/envtest/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { createObject, generatedCrd, ImportProjects, specTypes } from './import-harness.js';
import { strictTypeCheck } from './strict-type-check.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'import');
const projects = new ImportProjects();
afterAll(() => projects.cleanup());

/** 'accepted', or kubectl's message. */
async function refusal(namespace: string, object: Record<string, unknown>): Promise<string> {
  return createObject(namespace, object).then(
    () => 'accepted',
    (error: Error) => error.message,
  );
}

describe('JSON schemas → import → manifests → apiserver → import', { timeout: 300_000 }, () => {
  let namespace: string;

  it.each([
    ['pipeline.schema.json', 'Pipeline', 'PipelineRun'],
    ['widget.schema.json', 'Widget', 'WidgetRun'],
  ])('round trips %s', async (file, root, kind) => {
    const [module] = await importSchemas(join(FIXTURES, file));
    expect(await strictTypeCheck(`.import-${root}`, [module])).toEqual([]);
    const group = `${root.toLowerCase()}.import.example.com`;
    const { text } = await generatedCrd(projects.project(group, specTypes(module.content, root, kind)));
    const crdFile = projects.file(`${kind}.yaml`, text);
    await installCRDs(testRestConfig(), [crdFile], 60_000);
    const again = await importSchemas(crdFile);
    expect(again[0].content).toContain(`export interface ${kind}Spec {`);
    expect(await strictTypeCheck(`.import-${root}-again`, again)).toEqual([]);
  });

  it('enforces what the JSON schema said, through the imported markers', async () => {
    namespace = await createTestNamespace('import-json');
    let n = 0;
    const run = (spec: Record<string, unknown>) => ({
      apiVersion: 'pipeline.import.example.com/v1',
      kind: 'PipelineRun',
      metadata: { name: `run-${++n}` },
      spec: { name: 'build', steps: [{ kind: 'Shell', run: 'make' }], ...spec },
    });
    expect(await refusal(namespace, run({}))).toBe('accepted');
    expect(await refusal(namespace, run({ retries: 0 }))).toContain('should be greater than 0');
    expect(await refusal(namespace, run({ ratio: 1 }))).toContain('should be less than 1');
    expect(await refusal(namespace, run({ mode: 'slow' }))).toContain('Unsupported value: "slow"');
    expect(await refusal(namespace, run({ labels: { Bad: 'x' } }))).toContain('every key must match');
    expect(await refusal(namespace, run({ steps: [{ kind: 'Shell', image: 'x' }] }))).toContain(
      "when kind is 'Shell': run required",
    );
    expect(await refusal(namespace, run({ version: 3 }))).toContain('Unsupported value: 3');
    expect(await refusal(namespace, run({ reviewer: { email: 'a@b.c' } }))).toContain('Required value');
    // The recursive and mixed-type fields are kept as they are (free-form in the CRD).
    const tree = { label: 'root', children: [{ label: 'leaf', children: [] }] };
    const stored = await createObject(namespace, run({ tree, setting: true }));
    expect((stored.spec as Record<string, unknown>).tree).toEqual(tree);
  });
});
