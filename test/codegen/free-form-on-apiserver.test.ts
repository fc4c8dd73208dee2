/**
 * Free-form JSON and CEL on a real kube-apiserver (the run's shared envtest control plane):
 * Schemaless fields of types no schema can say (fixture `schemaless`) keep whatever is sent, next to
 * validated fields; a discriminated union, a one-of and a CEL rule over a free-form field that has
 * a type (an object that keeps unknown fields) are established and enforced. And why `manifests`
 * refuses the rest (fixtures/crd/errors/free-form-cel): the same CRDs with the field left without a
 * type are refused by the apiserver, for "undefined field" in the rules or for the missing type.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { generateManifests, type CustomResourceDefinition, type JSONSchemaProps } from '../../src/codegen/index.js';
import { apiRequest } from '../../src/envtest/api-requests.js';
import { installCRDs } from '../../src/envtest/index.js';
import { createTestNamespace, kubectl, testRestConfig } from '../support/cluster.js';
import { CRD_FIXTURES, FixtureProjects } from './fixture-projects.js';

const projects = new FixtureProjects();
let namespace: string;

/** Free-form fields that have a type: CEL sees them, so rules may name them. */
const TYPED_FREE_FORM = `// +groupName=freeform.example.com
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { RawExtension } from 'kubeforge/api';

// +kubebuilder:validation:ExactlyOneOf=raw;name
export interface Choice {
  raw?: RawExtension;
  name?: string;
}

export interface HolderSpec {
  plugin?: { kind: 'Plugin'; settings?: RawExtension } | { kind: 'Builtin'; name: string };
  choice?: Choice;
  // +kubebuilder:validation:Type=object
  // +kubebuilder:pruning:PreserveUnknownFields
  // +kubebuilder:validation:XValidation:rule="self == self",message="compiles"
  ruled?: unknown;
}

// +kubebuilder:object:root=true
export interface Holder {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: HolderSpec;
}
`;

const crds = new Map<string, CustomResourceDefinition>();

async function generate(projectDir: string): Promise<void> {
  const result = await generateManifests({ projectDir, kubeforgeVersion: '0.0.0-test' });
  const files: string[] = [];
  for (const [path, text] of result.files) {
    if (!path.startsWith('config/crd/')) continue;
    mkdirSync(join(projectDir, path, '..'), { recursive: true });
    writeFileSync(join(projectDir, path), text);
    files.push(join(projectDir, path));
    const crd = parse(text) as CustomResourceDefinition;
    crds.set(crd.spec.names.kind, crd);
  }
  await installCRDs(testRestConfig(), files, 60_000);
}

beforeAll(async () => {
  await generate(projects.project(CRD_FIXTURES, 'schemaless'));
  const holder = join(projects.project(CRD_FIXTURES, 'schemaless'), '..', 'holder');
  mkdirSync(join(holder, 'api', 'v1'), { recursive: true });
  writeFileSync(join(holder, 'api', 'v1', 'holder.types.ts'), TYPED_FREE_FORM);
  await generate(holder);
  namespace = await createTestNamespace('freeform');
}, 120_000);
afterAll(() => projects.cleanup());

let counter = 0;
async function create(kind: string, group: string, spec: Record<string, unknown>): Promise<Record<string, unknown>> {
  const object = { apiVersion: `${group}/v1`, kind, metadata: { name: `f-${++counter}` }, spec };
  const out = await kubectl(['create', '-n', namespace, '-o', 'json', '-f', '-'], { input: stringify(object) });
  return (JSON.parse(out) as { spec: Record<string, unknown> }).spec;
}
const board = (spec: Record<string, unknown>) =>
  create('Board', 'schemaless.example.com', { tree: { name: 'root' }, payload: true, ...spec });
const holder = (spec: Record<string, unknown>) => create('Holder', 'freeform.example.com', spec);

/** A dry-run create of `crd` changed by `edit`; resolves with the apiserver's status and body. */
async function dryRunCreate(crd: CustomResourceDefinition, edit: (spec: JSONSchemaProps) => void) {
  const copy = structuredClone(crd);
  copy.metadata.name = `edited${++counter}.${copy.spec.group}`;
  copy.spec.names = {
    ...copy.spec.names,
    plural: `edited${counter}`,
    singular: `edited${counter}`,
    kind: `Edited${counter}`,
    listKind: `Edited${counter}List`,
  };
  const root = (copy.spec.versions[0].schema as { openAPIV3Schema: JSONSchemaProps }).openAPIV3Schema;
  edit(root.properties!.spec);
  return apiRequest(
    testRestConfig(),
    'POST',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All',
    copy,
  );
}

describe('Schemaless fields on a real apiserver (fixture schemaless)', () => {
  it('keeps whatever a Schemaless field holds: a tree of any depth, a boolean, number keys, a conflicting field', async () => {
    const tree = { name: 'root', children: [{ name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] }] };
    const spec = {
      tree,
      payload: 'a string this time',
      setting: { cpu: '', extra: [1, 2] },
      portNames: { '80': 'http', '443': 'https' },
      located: { city: 'Lyon', size: 'large' },
      rule: { and: ['big', { or: ['red', 'round'] }] },
    };
    expect(await board(spec)).toEqual(spec);
  });

  it('still validates the typed fields next to them', async () => {
    await expect(board({ home: { city: 'Lyon', size: 'large' } })).rejects.toThrow('spec.home.size');
    await expect(board({ located: 'not an object' })).rejects.toThrow('must be of type object');
  });

  it('is refused by the apiserver when a Schemaless field has no type and keeps no unknown fields', async () => {
    const response = await dryRunCreate(crds.get('Board')!, (spec) => {
      delete spec.properties!.payload['x-kubernetes-preserve-unknown-fields'];
    });
    expect(response.status).toBe(422);
    expect(response.body).toContain('must not be empty for specified object fields');
  });
});

describe('CEL over free-form fields that have a type', () => {
  it('enforces a discriminated union whose member has a free-form object field', async () => {
    expect(await holder({ plugin: { kind: 'Plugin', settings: { any: ['thing'] } } })).toEqual({
      plugin: { kind: 'Plugin', settings: { any: ['thing'] } },
    });
    await expect(holder({ plugin: { kind: 'Builtin', name: 'x', settings: {} } })).rejects.toThrow(
      "when kind is 'Builtin': name required; settings not allowed",
    );
  });

  it('enforces ExactlyOneOf over a free-form field, and takes a rule on one', async () => {
    await expect(holder({ choice: { raw: { a: 1 }, name: 'x' } })).rejects.toThrow('exactly one of the fields');
    expect(await holder({ choice: { raw: { a: 1 } } })).toEqual({ choice: { raw: { a: 1 } } });
    expect(await holder({ ruled: { any: [1] } })).toEqual({ ruled: { any: [1] } });
  });

  it.each([
    ['the union', 'plugin', (s: JSONSchemaProps) => s.properties!.settings, "undefined field 'settings'"],
    ['ExactlyOneOf', 'choice', (s: JSONSchemaProps) => s.properties!.raw, "undefined field 'raw'"],
    [
      'a rule on the field',
      'ruled',
      (s: JSONSchemaProps) => s,
      'unable to convert structural schema to CEL declarations',
    ],
  ])('is refused by the apiserver for %s once the free-form field has no type', async (_what, field, node, message) => {
    const response = await dryRunCreate(crds.get('Holder')!, (spec) => {
      delete node(spec.properties![field]).type;
    });
    expect(response.status).toBe(422);
    expect(response.body).toContain(message);
  });
});
