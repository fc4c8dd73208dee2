/**
 * `importSchemas` on JSON Schema documents: `$ref`s (definitions, $defs, cycles) as named
 * declarations, unions, intersections, consts, pattern properties and draft-06+ bounds
 * (`fixtures/import/pipeline.schema.json`, snapshot in `fixtures/import/expected/Pipeline.ts`);
 * references that cannot be resolved; CRDs found twice; kinds that are no TypeScript name.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { expectMatchesFile } from '../../../test/support/expected-file.js';
import { strictTypeCheck } from '../../../test/codegen/strict-type-check.js';
import { UserError } from '../../errors.js';
import { importSchemas } from '../index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'import');
const work = mkdtempSync(join(tmpdir(), 'kubeforge-import-json-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
function write(document: unknown, name = `schema-${++counter}.json`): string {
  const path = join(work, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof document === 'string' ? document : JSON.stringify(document));
  return path;
}

async function failure(path: string): Promise<UserError> {
  const error = await importSchemas(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

function crd(kind: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.example.com` },
    spec: {
      group: 'example.com',
      names: { kind, plural: `${kind.toLowerCase()}s` },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties, ...extra } } },
          },
        },
      ],
    },
  };
}

describe('kubeforge import of JSON schemas', () => {
  it(
    'declares each $ref target once, by name, and types unions, intersections, consts and patterns',
    { timeout: 60_000 },
    async () => {
      const [module] = await importSchemas(join(FIXTURES, 'pipeline.schema.json'));
      expect(module.path).toBe('Pipeline.ts');
      const code = module.content;
      expect(code).toContain('  name: Name;\n  owner?: Person;');
      expect(code).toContain('export type Name = string;');
      expect(code).toMatch(/export type Step =\n {2}\| \{\n {6}kind: 'Shell';/);
      expect(code).toContain('  steps: Step[];');
      expect(code).toMatch(/reviewer\?: Person & \{\n\s+approved: boolean;/);
      expect(code).toContain("mode?: 'fast' | 'safe';");
      expect(code).toContain('version?: 2;');
      expect(code).toContain('timeout?: IntOrString;');
      expect(code).toContain('note?: string | null;');
      // The recursive field and the union of three types stay typed, and are free-form in a CRD.
      const free =
        '/**\n   * +kubebuilder:validation:Schemaless\n   * +kubebuilder:pruning:PreserveUnknownFields\n   */';
      expect(code).toContain(`${free}\n  children?: Node[];`);
      expect(code).toContain(`${free}\n  setting?: string | boolean | Person;`);
      expect(code).toContain(
        `+kubebuilder:validation:XValidation:rule="self.all(k, k.matches('^[a-z][a-z0-9-]*$'))",message="every key must match ^[a-z][a-z0-9-]*$"`,
      );
      expect(code).toContain('[k: string]: LabelsValue;');
      expect(code).not.toContain('unknown');
      expectMatchesFile(module.content, join(FIXTURES, 'expected', module.path), module.path);
      expect(await strictTypeCheck('.import-json', [module])).toEqual([]);
    },
  );

  it('maps draft-06+ numeric exclusive bounds to Minimum/Maximum with ExclusiveMinimum/ExclusiveMaximum', async () => {
    const [module] = await importSchemas(
      write({
        title: 'bounds',
        type: 'object',
        properties: {
          open: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
          // The stricter bound wins: minimum 5 beats exclusiveMinimum 3, exclusiveMaximum 9 beats maximum 10.
          mixed: { type: 'integer', minimum: 5, exclusiveMinimum: 3, maximum: 10, exclusiveMaximum: 9 },
          old: { type: 'number', minimum: 0, exclusiveMinimum: true },
        },
      }),
    );
    const markers = (field: string) => {
      const block = new RegExp(`/\\*\\*\\n((?: {3}\\*.*\\n)+) {3}\\*/\\n {2}${field}\\?`).exec(module.content);
      return block![1]
        .split('\n')
        .filter(Boolean)
        .map((line) => line.replace(/^ {3}\* /, ''));
    };
    expect(markers('open')).toEqual([
      '+kubebuilder:validation:Minimum=0',
      '+kubebuilder:validation:Maximum=1',
      '+kubebuilder:validation:ExclusiveMinimum=true',
      '+kubebuilder:validation:ExclusiveMaximum=true',
    ]);
    expect(markers('mixed')).toEqual([
      '+kubebuilder:validation:Minimum=5',
      '+kubebuilder:validation:Maximum=9',
      '+kubebuilder:validation:ExclusiveMaximum=true',
      '+kubebuilder:validation:Type=integer',
    ]);
    expect(markers('old')).toEqual([
      '+kubebuilder:validation:Minimum=0',
      '+kubebuilder:validation:ExclusiveMinimum=true',
    ]);
  });

  it('names object items <Field>Item and validated map values <Field>Value, in PascalCase', async () => {
    const [module] = await importSchemas(
      write({
        title: 'lists',
        type: 'object',
        properties: {
          'tls-options': { type: 'array', items: { properties: { name: { type: 'string' } } } },
          'tag-map': { type: 'object', additionalProperties: { type: 'string', maxLength: 3 } },
        },
      }),
    );
    expect(module.content).toContain("'tls-options'?: TlsOptionsItem[];");
    expect(module.content).toContain('export interface TlsOptionsItem {');
    expect(module.content).toContain('[k: string]: TagMapValue;');
    expect(module.content).toContain('+kubebuilder:validation:MaxLength=3\n */\nexport type TagMapValue = string;');
  });

  it('types everything with structure, and calls only untyped nodes unknown (free-form in a CRD)', async () => {
    const [module] = await importSchemas(
      write({
        title: 'loose',
        type: 'object',
        properties: {
          anything: {},
          bounded: { minimum: 1 },
          list: { items: { type: 'string' } },
          map: { additionalProperties: { type: 'integer' } },
          raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      }),
    );
    const free = '/**\n   * +kubebuilder:pruning:PreserveUnknownFields\n   */';
    expect(module.content).toContain(`${free}\n  anything?: unknown;`);
    expect(module.content).toContain(`${free}\n  bounded?: unknown;`);
    expect(module.content).toContain('list?: string[];');
    expect(module.content).toMatch(/map\?: \{\n\s+\[k: string\]: MapValue;/);
    expect(module.content).toContain('+kubebuilder:validation:Type=integer\n */\nexport type MapValue = number;');
    expect(module.content).toMatch(/raw\?: \{\n\s+\[k: string\]: unknown;/);
  });

  it.each([
    ['a remote $ref', 'https://example.com/person.json', /\$ref "https:\/\/example.com\/person.json" is not local/],
    ['a dangling $ref', '#/definitions/missing', /\$ref "#\/definitions\/missing" does not resolve/],
    ['an anchor', '#person', /\$ref "#person" is an anchor/],
  ])('refuses %s, naming it, the file and where it is', async (_name, ref, message) => {
    const path = write({ title: 'refs', type: 'object', properties: { owner: { $ref: ref } } });
    const error = await failure(path);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`kubeforge import: ${path}: `);
    expect(error.message).toContain('(at .properties["owner"].$ref)');
  });

  it('refuses a $ref cycle with no property in between', async () => {
    const path = write({
      title: 'loop',
      $ref: '#/$defs/a',
      $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } },
    });
    expect((await failure(path)).message).toBe(
      `kubeforge import: ${path}: $ref cycle A → B → A has no property in between, so no value has that type`,
    );
  });

  it('refuses a type that is an intersection with itself', async () => {
    const path = write({
      title: 'self',
      type: 'object',
      properties: { a: { $ref: '#/$defs/a' } },
      $defs: { a: { allOf: [{ $ref: '#/$defs/a' }, { type: 'object', properties: { x: { type: 'string' } } }] } },
    });
    expect((await failure(path)).message).toBe(
      `kubeforge import: ${path}: $ref cycle A → A has no property in between, so no value has that type`,
    );
  });

  it('turns a CRD oneOf of single required fields into ExactlyOneOf, anyOf into AtLeastOneOf', async () => {
    const path = write(
      stringify(
        crd(
          'Source',
          { git: { type: 'string' }, s3: { type: 'string' }, url: { type: 'string' } },
          {
            oneOf: [{ required: ['git'] }, { required: ['s3'] }],
            anyOf: [{ required: ['git'] }, { required: ['url'] }],
          },
        ),
      ),
      'source.yaml',
    );
    const [module] = await importSchemas(path);
    expect(module.content).toContain(
      '+kubebuilder:validation:ExactlyOneOf=git;s3\n * +kubebuilder:validation:AtLeastOneOf=git;url\n */\nexport interface SourceSpec {',
    );
  });
});

describe('kubeforge import of nested CRD one-of rules', () => {
  it('declares the object on its own: ExactlyOneOf on the type, the default on the field', async () => {
    const source = {
      type: 'object',
      description: 'Where to fetch from.',
      default: { git: 'main' },
      oneOf: [{ required: ['git'] }, { required: ['s3'] }],
      properties: { git: { type: 'string' }, s3: { type: 'string' } },
    };
    const [module] = await importSchemas(write(stringify(crd('Fetch', { source })), 'fetch.yaml'));
    expect(module.content).toContain(
      '   * Where to fetch from.\n   * +kubebuilder:default={"git":"main"}\n   */\n  source?: Source;',
    );
    expect(module.content).toContain(
      ' * Where to fetch from.\n * +kubebuilder:validation:ExactlyOneOf=git;s3\n */\nexport interface Source {',
    );
  });
});

describe('kubeforge import of CRD directories', () => {
  it('imports a CRD found twice once, naming both files relative to the directory', async () => {
    const dir = join(work, 'twice');
    write(stringify(crd('Widget', { size: { type: 'integer' } })), 'twice/widget.yaml');
    write(stringify(crd('Widget', { size: { type: 'integer' } })), 'twice/chart/crds/widget.yaml');
    const modules = await importSchemas(dir);
    expect(modules.map((m) => m.path)).toEqual(['example.com/v1.ts']);
    expect(modules[0].content.split('\n')[0]).toBe(
      '// Code generated by `kubeforge import` from chart/crds/widget.yaml, widget.yaml. DO NOT EDIT.',
    );
    expect(modules[0].content.match(/export interface Widget \{/g)).toHaveLength(1);
  });

  it('refuses one kind defined differently in two files, naming both', async () => {
    const dir = join(work, 'differ');
    const a = write(stringify(crd('Widget', { size: { type: 'integer' } })), 'differ/a.yaml');
    const b = write(stringify(crd('Widget', { size: { type: 'string' } })), 'differ/b.yaml');
    expect((await failure(dir)).message).toBe(
      `kubeforge import: example.com/v1 Widget is defined twice, differently: in ${a} and in ${b}`,
    );
  });

  it(
    'names types and constants after sanitised kinds, keeping the kind itself in the constant',
    { timeout: 60_000 },
    async () => {
      const path = write(stringify(crd('web-app', { replicas: { type: 'integer', format: 'int32' } })), 'webapp.yaml');
      const time = write(stringify(crd('Time', { at: { type: 'string', format: 'date-time' } })), 'time.yaml');
      const [webApp] = await importSchemas(path);
      expect(webApp.content).toContain('export interface WebApp {');
      expect(webApp.content).toContain(
        "export const WebAppKind = { group: 'example.com', version: 'v1', kind: 'web-app', plural: 'web-apps', namespaced: true } as const;",
      );
      expect(webApp.content).toContain('`defineKind<WebApp>(WebAppKind)`');
      // A kind named like a kubeforge/api scalar the module imports gets a free name.
      const [timeModule] = await importSchemas(time);
      expect(timeModule.content).toContain('export interface Time2 {');
      expect(timeModule.content).toContain('export const Time2Kind = {');
      expect(await strictTypeCheck('.import-kinds', [webApp, { ...timeModule, path: 'time.ts' }])).toEqual([]);
    },
  );
});
