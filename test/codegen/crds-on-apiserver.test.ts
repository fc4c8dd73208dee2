/**
 * The generated CRDs against a real kube-apiserver (the run's shared envtest control plane):
 * every fixture CRD is accepted and Established, `kubectl explain` shows the descriptions, each
 * validation marker rejects a violating object with the apiserver's message, defaults are applied,
 * CEL rules (XValidation, one-of, immutability, discriminated unions) are enforced, printer columns
 * show in `kubectl get`, `kubectl scale` works through the scale subresource, and fields named
 * like JavaScript's object properties (`__proto__`, `constructor`) are stored and validated.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generateManifests } from '../../src/codegen/index.js';
import { installCRDs } from '../../src/envtest/index.js';
import { createTestNamespace, kubectl, testRestConfig } from '../support/cluster.js';
import { CRD_FIXTURES, FixtureProjects, fixtureNames } from './fixture-projects.js';

const projects = new FixtureProjects();
let namespace: string;

beforeAll(async () => {
  const crdFiles: string[] = [];
  for (const name of fixtureNames(CRD_FIXTURES)) {
    const projectDir = projects.project(CRD_FIXTURES, name);
    const result = await generateManifests({ projectDir, kubeforgeVersion: '0.0.0-test' });
    for (const [path, text] of result.files) {
      mkdirSync(join(projectDir, path, '..'), { recursive: true });
      writeFileSync(join(projectDir, path), text);
      if (path.startsWith('config/crd/')) crdFiles.push(join(projectDir, path));
    }
  }
  await installCRDs(testRestConfig(), crdFiles, 60_000);
  namespace = await createTestNamespace('codegen');
});
afterAll(() => projects.cleanup());

/** Creates an object; resolves with the stored object or rejects with kubectl's message. */
async function create(object: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out = await kubectl(['create', '-n', namespace, '-o', 'json', '-f', '-'], { input: stringify(object) });
  return JSON.parse(out) as Record<string, unknown>;
}

let counter = 0;
const validated = (spec: Record<string, unknown>) => ({
  apiVersion: 'validation.example.com/v1',
  kind: 'Validated',
  metadata: { name: `v-${++counter}` },
  spec: { name: 'valid-name', ...spec },
});

describe('generated CRDs on a real apiserver', () => {
  it('establishes every fixture CRD', async () => {
    const names = await kubectl(['get', 'crd', '-o', 'jsonpath={.items[*].metadata.name}']);
    for (const crd of [
      'guestbooks.webapp.example.com',
      'validateds.validation.example.com',
      'scalables.crdmarkers.example.com',
      'workloads.coretypes.example.com',
      'pipelines.unions.example.com',
      'cronjobs.multiversion.example.com',
      'gadgets.packagemarkers.example.com',
      'gadgets.merged.example.com',
      'prototypes.propertynames.example.com',
      'gatekeepers.markerlang.example.com',
      'gates.admission.example.com',
    ]) {
      expect(names.split(' ')).toContain(crd);
      const established = await kubectl([
        'get',
        'crd',
        crd,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Established")].status}',
      ]);
      expect(established).toBe('True');
    }
  });

  it('shows the JSDoc descriptions in kubectl explain', async () => {
    const spec = await kubectl(['explain', 'validateds.spec']);
    expect(spec).toContain('ValidatedSpec exercises every field validation marker.');
    expect(spec).toContain('replicas is bounded.');
    const template = await kubectl(['explain', 'workloads.spec.template.spec.containers.image']);
    expect(template).toContain('Container image name.');
  });

  it.each([
    ['Minimum', { replicas: 0 }, 'should be greater than or equal to 1'],
    ['Maximum', { replicas: 11 }, 'should be less than or equal to 10'],
    ['ExclusiveMinimum', { ratio: 0 }, 'should be greater than 0'],
    ['ExclusiveMaximum', { ratio: 1 }, 'should be less than 1'],
    ['MultipleOf', { step: 7 }, 'should be a multiple of 5'],
    ['MinLength', { name: 'ab' }, 'should be at least 3 chars long'],
    ['MaxLength', { name: 'a'.repeat(64) }, 'may not be more than 63 bytes'],
    ['Pattern', { name: 'Bad_Name' }, "should match '^[a-z][a-z0-9-]*$'"],
    ['MinItems', { tags: [] }, 'should have at least 1 items'],
    ['MaxItems', { tags: ['a', 'b', 'c', 'd'] }, 'must have at most 3 items'],
    ['items:MaxLength', { tags: ['abcdefghijk'] }, 'may not be more than 10 bytes'],
    ['MinProperties', { labels: {} }, 'should have at least 1 properties'],
    ['MaxProperties', { labels: { a: '1', b: '2', c: '3' } }, 'Too many: 3: must have at most 2 items'],
    ['Enum', { tier: 'platinum' }, 'Unsupported value: "platinum"'],
    ['string-literal union', { mode: 'Random' }, 'Unsupported value: "Random"'],
    ['type-level Enum', { color: 'pink' }, 'Unsupported value: "pink"'],
    ['Type', { count: 'many' }, 'must be of type integer'],
    ['type-level Minimum', { port: 0 }, 'should be greater than or equal to 1'],
    ['items:Minimum', { scores: [-1] }, 'should be greater than or equal to 0'],
    ['listType=set', { scores: [1, 1] }, 'Duplicate value: 1'],
    [
      'listType=map',
      {
        endpoints: [
          { host: 'a', port: 1 },
          { host: 'a', port: 2 },
        ],
      },
      'Duplicate value',
    ],
    ['Quantity pattern', { memory: '12 apples' }, 'should match'],
    ['XValidation', { even: 3 }, 'must be even'],
    ['type-level XValidation', { ranges: { low: 5, high: 1 } }, 'low must not exceed high'],
    [
      'ExactlyOneOf',
      { storage: { bucket: 'b', volume: 'v' } },
      'exactly one of the fields in [bucket volume] must be set',
    ],
    [
      'AtMostOneOf',
      { storage: { bucket: 'b', secret: 's' } },
      'at most one of the fields in [bucket secret] may be set',
    ],
    ['required field', { name: undefined }, 'Required value'],
    ['Format', { email: 'not-an-email' }, 'spec.email in body must be of type email'],
    ['the schema (undeclared field, strict field validation)', { undeclared: 'x' }, 'unknown field "spec.undeclared"'],
    ['XIntOrString', { target: true }, 'spec.target'],
    ['EmbeddedResource', { template: { spec: {} } }, 'spec.template.apiVersion: Required value'],
  ])('rejects a violation of %s', async (_marker, spec, message) => {
    await expect(create(validated(spec))).rejects.toThrow(message);
  });

  it('applies defaults from +kubebuilder:default and +default', async () => {
    const stored = (await create(validated({}))) as { spec: Record<string, unknown> };
    expect(stored.spec).toMatchObject({
      replicas: 3,
      tier: 'bronze',
      mode: 'Spread',
      timeout: '30s',
      aliases: ['main'],
      defaultEndpoint: { host: 'localhost', port: 8080 },
    });
  });

  it('keeps unknown fields where PreserveUnknownFields says so, keeps null where +nullable and prunes it elsewhere', async () => {
    const stored = (await create(
      validated({
        raw: { any: ['thing', 1] },
        extra: { free: true },
        nickname: null,
        email: null,
        portOrName: 'http',
        memory: '2Gi',
      }),
    )) as { spec: Record<string, unknown> };
    expect(stored.spec).toMatchObject({
      raw: { any: ['thing', 1] },
      extra: { free: true },
      nickname: null,
      portOrName: 'http',
      memory: '2Gi',
    });
    expect(stored.spec).not.toHaveProperty('email');
  });

  it('enforces immutability with +k8s:immutable', async () => {
    const object = validated({ immutableId: 'first' });
    await create(object);
    const patch = JSON.stringify({ spec: { immutableId: 'second' } });
    await expect(
      kubectl(['patch', '-n', namespace, 'validateds', object.metadata.name, '--type=merge', '-p', patch]),
    ).rejects.toThrow('immutableId is immutable');
  });

  it('enforces discriminated unions with CEL', async () => {
    const pipeline = (name: string, source: Record<string, unknown>) => ({
      apiVersion: 'unions.example.com/v1',
      kind: 'Pipeline',
      metadata: { name },
      spec: { source },
    });
    await create(pipeline('s3-ok', { type: 'S3', bucket: 'b' }));
    await expect(create(pipeline('s3-bad', { type: 'S3', bucket: 'b', url: 'https://x' }))).rejects.toThrow(
      "when type is 'S3': bucket required; url, depth not allowed",
    );
    await expect(create(pipeline('git-bad', { type: 'Git' }))).rejects.toThrow("when type is 'Git': url required");
    await expect(create(pipeline('other', { type: 'Svn', url: 'x' }))).rejects.toThrow('Unsupported value: "Svn"');
    await kubectl(['delete', 'pipelines', 's3-ok']);
  });

  it('shows printer columns in kubectl get and scales through the scale subresource', async () => {
    await create({
      apiVersion: 'crdmarkers.example.com/v1',
      kind: 'Scalable',
      metadata: { name: 'web' },
      spec: { image: 'nginx:1.27' },
    });
    const table = await kubectl(['get', 'scalables', '-n', namespace]);
    expect(table.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'IMAGE', 'REPLICAS', 'AGE']);
    expect(table).toMatch(/web\s+nginx:1\.27\s+1\s+/);
    const wide = await kubectl(['get', 'scl', '-n', namespace, '-o', 'wide']);
    expect(wide.split('\n')[0]).toContain('PHASE');
    await kubectl(['scale', '-n', namespace, 'scalable/web', '--replicas=4']);
    expect(await kubectl(['get', 'scalable', 'web', '-n', namespace, '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
    const fields = await kubectl([
      'get',
      'scalables',
      '-n',
      namespace,
      '--field-selector',
      'spec.image=nginx:1.27',
      '-o',
      'name',
    ]);
    expect(fields.trim()).toBe('scalable.crdmarkers.example.com/web');
  });

  it('serves every version of a multi-version CRD and stores the marked one', async () => {
    const crd = JSON.parse(await kubectl(['get', 'crd', 'cronjobs.multiversion.example.com', '-o', 'json'])) as {
      spec: { versions: { name: string; served: boolean; storage: boolean; deprecated?: boolean }[] };
    };
    expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage, v.deprecated ?? false])).toEqual([
      ['v1', true, false, true],
      ['v2', true, true, false],
      ['v3', false, false, false],
    ]);
  });

  it('accepts objects that embed Kubernetes core types', async () => {
    const stored = (await create({
      apiVersion: 'coretypes.example.com/v1',
      kind: 'Workload',
      metadata: { name: 'app' },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'app', image: 'busybox', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m' } } },
            ],
          },
        },
        env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      },
    })) as { spec: { template: { spec: { containers: { ports: { protocol: string }[] }[] } } } };
    expect(stored.spec.template.spec.containers[0].ports[0].protocol).toBe('TCP');
    await expect(
      create({
        apiVersion: 'coretypes.example.com/v1',
        kind: 'Workload',
        metadata: { name: 'bad' },
        spec: { template: { spec: { containers: [{ image: 'x' }] } } },
      }),
    ).rejects.toThrow('Required value');
  });

  it('keeps and validates fields named like the properties of every JavaScript object', async () => {
    // Parsed, not written as a literal: `{ __proto__: … }` in code would set a prototype.
    const spec = JSON.parse(
      '{"__proto__":"p","constructor":1,"toString":{"valueOf":"v"},"hasOwnProperty":[true],"isPrototypeOf":{"k":{"__proto__":"x","toLocaleString":"y"}},"__defineGetter__":"g","source":{"type":"Git","__proto__":"x","repo-url":"u"}}',
    ) as Record<string, unknown>;
    const object = {
      apiVersion: 'propertynames.example.com/v1',
      kind: 'Prototype',
      metadata: { name: 'names' },
      spec,
    };
    const stored = JSON.parse(
      await kubectl(['create', '-n', namespace, '-o', 'json', '-f', '-'], { input: JSON.stringify(object) }),
    ) as { spec: Record<string, unknown> };
    expect(Object.keys(stored.spec).sort()).toEqual(Object.keys(spec).sort());
    // A key list puts the keys in its order at every level: equal texts are equal objects.
    const keys = [...Object.keys(spec).sort(), 'k', 'valueOf', 'toLocaleString', 'type', 'repo-url'];
    expect(JSON.stringify(stored.spec, keys)).toBe(JSON.stringify(spec, keys));
    await expect(
      kubectl(['create', '-n', namespace, '-f', '-'], {
        input: JSON.stringify({ ...object, metadata: { name: 'negative' }, spec: { constructor: -1 } }),
      }),
    ).rejects.toThrow(
      'spec.constructor: Invalid value: -1: spec.constructor in body should be greater than or equal to 0',
    );
    const s3 = JSON.parse('{"constructor":1,"source":{"type":"S3","__proto__":"x"}}') as Record<string, unknown>;
    await expect(
      kubectl(['create', '-n', namespace, '-f', '-'], {
        input: JSON.stringify({ ...object, metadata: { name: 'union' }, spec: s3 }),
      }),
    ).rejects.toThrow("when type is 'S3': __proto__, repo-url, shelf not allowed");
    const quoted = { constructor: 1, source: { type: "O'Brien\\Archive", shelf: 's', 'repo-url': 'u' } };
    await expect(
      kubectl(['create', '-n', namespace, '-f', '-'], {
        input: JSON.stringify({ ...object, metadata: { name: 'quoted-bad' }, spec: quoted }),
      }),
    ).rejects.toThrow("when type is 'O'Brien\\Archive': __proto__, repo-url, namespace not allowed");
    const { 'repo-url': _, ...allowed } = quoted.source;
    await kubectl(['create', '-n', namespace, '-f', '-'], {
      input: JSON.stringify({ ...object, metadata: { name: 'quoted-ok' }, spec: { constructor: 1, source: allowed } }),
    });
  });

  it('treats ObjectMeta inside templates as a bare object by default, as controller-gen does', async () => {
    const withLabels = {
      apiVersion: 'coretypes.example.com/v1',
      kind: 'Workload',
      metadata: { name: 'labelled' },
      spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'a', image: 'x' }] } } },
    };
    await expect(create(withLabels)).rejects.toThrow('unknown field "spec.template.metadata.labels"');
  });

  describe("controller-gen's marker language (fixture markerlang)", () => {
    const gatekeeper = (spec: Record<string, unknown>) => ({
      apiVersion: 'markerlang.example.com/v1',
      kind: 'Gatekeeper',
      metadata: { name: `g-${++counter}` },
      spec: { owner: 'me', members: ['a'], labels: { a: 'b' }, range: { min: 1, max: 2 }, ...spec },
    });

    it('applies +kubebuilder:default:=…, prefers it to +default, reads {} on an array as [] and skips ref(…)', async () => {
      const stored = (await create(gatekeeper({}))) as { spec: Record<string, unknown> };
      expect(stored.spec).toMatchObject({
        policy: 'Allow',
        options: {},
        hosts: [],
        mode: 'fromKubebuilder',
        zones: ['a', 'b'],
      });
      expect(stored.spec).not.toHaveProperty('fallback');
    });

    it.each([
      ['k8s:required on a string', { owner: '' }, 'should be at least 1 chars long'],
      ['k8s:required on a list', { members: [] }, 'should have at least 1 items'],
      ['k8s:required on a map', { labels: {} }, 'should have at least 1 properties'],
      ['k8s:required on a struct', { range: {} }, 'should have at least 1 properties'],
      ['k8s:enum', { policy: 'Maybe' }, 'supported values: "Allow", "Audit", "Deny"'],
      [
        'k8s:maxItems',
        { ports: Array.from({ length: 17 }, (_, i) => ({ name: `p${i}` })) },
        'must have at most 16 items',
      ],
      ['k8s:listMapKey', { ports: [{ name: 'a' }, { name: 'a' }] }, 'Duplicate value'],
      ['k8s:minimum', { weight: 0 }, 'should be greater than or equal to 1'],
      ['k8s:maximum', { weight: 11 }, 'should be less than or equal to 10'],
      ['Minimum:=1', { replicas: 0 }, 'should be greater than or equal to 1'],
      ["the field's MaxLength in allOf", { short: 'abcdef' }, 'may not be more than 5 bytes'],
      ["the type's CEL rule after the field's", { short: 'admin' }, 'not admin'],
      ["the field's CEL rule", { short: 'bcd' }, 'starts with a'],
      ["a struct type's CEL rule next to the field's", { range: { min: 5, max: 1 } }, 'min <= max'],
      ['a tuple of three', { position: [1, 2] }, 'should have at least 3 items'],
      ['a string-alias map key type (values)', { byName: { a: 1 } }, 'must be of type string'],
    ])('rejects a violation of %s', async (_what, spec, message) => {
      await expect(create(gatekeeper(spec))).rejects.toThrow(message);
    });

    it('keeps RawExtension and XPreserveUnknownFields content, accepts an embedded object and a MicroTime', async () => {
      const spec = {
        raw: { any: { nested: [1, 'x'] } },
        config: { a: 'b', extra: 'kept' },
        template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'v' } },
        lastSeen: '2026-01-02T03:04:05.123456Z',
        count: 3,
        position: [1, 2, 3],
      };
      const stored = (await create(gatekeeper(spec))) as { spec: Record<string, unknown> };
      expect(stored.spec).toMatchObject(spec);
    });
  });
});
