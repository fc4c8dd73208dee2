import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LineCounter, parse, parseAllDocuments } from 'yaml';
import { generateManifests } from '../manifests.js';
import { parseCrdSchemaPath } from './crd-field-path.js';
import { sampleLine } from './sample-lines.js';

const TYPES = `// +groupName=locate.example.com
import type { V1ObjectMeta, V1PodSpec } from '@kubernetes/client-node';

/** Limits of a thing. */
// +kubebuilder:validation:XValidation:rule="has(self.cpu)",message="cpu is required"
export interface Limits {
  /** cpu limit. */
  // +kubebuilder:validation:MaxLength=8
  cpu?: string;
}

/** ThingSpec is the desired state. */
export interface ThingSpec {
  /** limits of the thing. */
  // +kubebuilder:default={"cpu": "1"}
  // +kubebuilder:validation:XValidation:rule="self.cpu != 'x'",message="not x"
  limits?: Limits;
  /** limits per zone. */
  zones?: Record<string, Limits>;
  /** steps of the thing. */
  // +kubebuilder:validation:items:MinLength=2
  steps?: string[];
  /** pod of the thing. */
  pod?: V1PodSpec;
}

// +kubebuilder:object:root=true
// +kubebuilder:printcolumn:name="Steps",type=string,JSONPath=".spec.steps"
/** Thing is a test kind. */
export interface Thing {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: ThingSpec;
}
`;

const lineOf = (needle: string) => TYPES.split('\n').findIndex((line) => line.includes(needle)) + 1;
const SCHEMA = 'spec.versions[0].schema.openAPIV3Schema.properties[spec]';

describe('CrdSources: an apiserver field path back to the TypeScript line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-locate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function locate(field: string) {
    mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
    writeFileSync(join(dir, 'api', 'v1', 'thing.types.ts'), TYPES);
    const { crdSources } = await generateManifests({ projectDir: dir, kubeforgeVersion: '0.0.0-test' });
    const at = crdSources.locate('things.locate.example.com', field);
    return at && { file: at.file.slice(dir.length + 1), line: at.line };
  }
  const at = (needle: string) => ({ file: 'api/v1/thing.types.ts', line: lineOf(needle) });

  it('points a default at its marker, and a rule at the marker with that rule (field or type)', async () => {
    expect(await locate(`${SCHEMA}.properties[limits].default`)).toEqual(at('kubebuilder:default'));
    const [crd] = (await generateManifests({ projectDir: dir, kubeforgeVersion: '0' })).files.values();
    const rules = parse(crd).spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.limits[
      'x-kubernetes-validations'
    ] as {
      rule: string;
    }[];
    const fieldRule = rules.findIndex((rule) => rule.rule === "self.cpu != 'x'");
    const typeRule = rules.findIndex((rule) => rule.rule === 'has(self.cpu)');
    expect(await locate(`${SCHEMA}.properties[limits].x-kubernetes-validations[${fieldRule}].rule`)).toEqual(
      at('rule="self.cpu != \'x\'"'),
    );
    expect(await locate(`${SCHEMA}.properties[limits].x-kubernetes-validations[${typeRule}].rule`)).toEqual(
      at('rule="has(self.cpu)"'),
    );
  });

  it('follows fields, map values and items; other keywords by the marker name', async () => {
    expect(await locate(`${SCHEMA}.properties[zones].additionalProperties.properties[cpu].maxLength`)).toEqual(
      at('MaxLength=8'),
    );
    expect(await locate(`${SCHEMA}.properties[steps].items.minLength`)).toEqual(at('items:MinLength=2'));
    expect(await locate(`${SCHEMA}.properties[zones].additionalProperties.properties[cpu].type`)).toEqual(
      at('cpu?: string'),
    );
  });

  it('stops at the field embedding a core type, at the kind for the whole schema, at the column marker', async () => {
    expect(await locate(`${SCHEMA}.properties[pod].properties[containers].items.type`)).toEqual(at('pod?: V1PodSpec'));
    expect(await locate('spec.validation.openAPIV3Schema')).toEqual(at('export interface Thing {'));
    expect(await locate('spec.versions[0].additionalPrinterColumns[0].jsonPath')).toEqual(at('printcolumn'));
    expect(await locate('spec.names.plural')).toEqual(at('export interface Thing {'));
  });

  it('knows only the CRDs of the run', async () => {
    mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
    writeFileSync(join(dir, 'api', 'v1', 'thing.types.ts'), TYPES);
    const { crdSources } = await generateManifests({ projectDir: dir, kubeforgeVersion: '0.0.0-test' });
    expect(crdSources.locate('others.example.com', 'spec.validation.openAPIV3Schema')).toBeUndefined();
  });
});

describe('parseCrdSchemaPath', () => {
  it('reads the version, the steps and the keyword', () => {
    expect(
      parseCrdSchemaPath(`${SCHEMA}.properties[a-b].items.additionalProperties.x-kubernetes-validations[2].rule`),
    ).toEqual({
      versionIndex: 0,
      steps: [{ property: 'spec' }, { property: 'a-b' }, 'items', 'additionalProperties'],
      keyword: 'x-kubernetes-validations[2]',
    });
    expect(parseCrdSchemaPath('spec.validation.openAPIV3Schema')).toEqual({ versionIndex: undefined, steps: [] });
    expect(parseCrdSchemaPath('spec.names.kind')).toBeUndefined();
  });
});

describe('sampleLine', () => {
  const text =
    '---\napiVersion: v1\nkind: Thing\nmetadata:\n  name: a\n  labels:\n    app: x\nspec:\n  steps:\n    - one\n    - t\n';
  const lines = new LineCounter();
  const [document] = parseAllDocuments(text, { lineCounter: lines });

  it('finds keys, list items and map keys; a missing field at its closest parent', () => {
    expect(sampleLine(document, lines, 'spec.steps[1]')).toBe(11);
    expect(sampleLine(document, lines, 'metadata.labels[app]')).toBe(7);
    expect(sampleLine(document, lines, 'spec.replicas')).toBe(8);
    expect(sampleLine(document, lines, '')).toBe(2);
  });
});
