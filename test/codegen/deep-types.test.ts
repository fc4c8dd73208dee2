/**
 * A chain of interfaces nested exactly as deep as kubeforge generates (MAX_NESTING levels) against
 * the real apiserver: the CRD is accepted and Established, an object nested that deep is stored
 * with its deepest field, and a wrong type at the bottom is rejected there.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateManifests } from '../../src/codegen/index.js';
import { installCRDs } from '../../src/envtest/index.js';
import { createTestNamespace, kubectl, testRestConfig } from '../support/cluster.js';
import { writeDeepProject } from './deep-types.js';

const work = mkdtempSync(join(tmpdir(), 'kubeforge-deep-apiserver-'));
const LINKS = 254;
let namespace: string;

beforeAll(async () => {
  writeDeepProject(work, 'fields', LINKS);
  const { files } = await generateManifests({ projectDir: work, kubeforgeVersion: '0.0.0-test' });
  const path = join(work, 'config/crd/bases/deep.example.com_widgets.yaml');
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, files.get('config/crd/bases/deep.example.com_widgets.yaml')!);
  await installCRDs(testRestConfig(), [path], 60_000);
  namespace = await createTestNamespace('deep');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `{ a: { a: … { leaf } } }`: spec nested down to A255.leaf, level 256 of the schema. */
function nestedSpec(leaf: unknown): Record<string, unknown> {
  let spec: Record<string, unknown> = { leaf };
  for (let i = 0; i < LINKS; i++) spec = { a: spec };
  return spec;
}

const widget = (name: string, leaf: unknown) =>
  JSON.stringify({
    apiVersion: 'deep.example.com/v1',
    kind: 'Widget',
    metadata: { name },
    spec: nestedSpec(leaf),
  });

describe('a schema nested as deep as kubeforge generates, on the apiserver', () => {
  it('is accepted, stores an object that deep and validates its deepest field', async () => {
    const established = await kubectl([
      'get',
      'crd',
      'widgets.deep.example.com',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    ]);
    expect(established).toBe('True');
    const stored = JSON.parse(
      await kubectl(['create', '-n', namespace, '-o', 'json', '-f', '-'], { input: widget('deep', 'bottom') }),
    ) as { spec: Record<string, unknown> };
    expect(stored.spec).toEqual(nestedSpec('bottom'));
    await expect(kubectl(['create', '-n', namespace, '-f', '-'], { input: widget('wrong', 5) })).rejects.toThrow(
      /spec(\.a){254}\.leaf: Invalid value: "integer": spec(\.a){254}\.leaf in body must be of type string/,
    );
  });
});
