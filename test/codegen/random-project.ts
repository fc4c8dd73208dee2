/**
 * fast-check arbitraries for `manifests-property.test.ts`: random API projects — a root kind with a
 * random spec (field names hostile ones included, nested object types, arrays, tuples, maps, unions,
 * kubeforge/api scalars, a string alias with markers of its own, free-form JSON from
 * `random-free-form.ts`), random markers from the registry on fields, types and the root with
 * random values (many of them invalid), and rbac/webhook markers in src/. CEL rules are drawn from
 * rules that compile and hold, since only the apiserver compiles CEL.
 */
import fc from 'fast-check';
import { MARKERS, type MarkerName } from '../../src/codegen/markers/registry.js';
import type { MarkerSpec, ValueType } from '../../src/codegen/markers/definition.js';
import { FREE_FORM_DECLARATIONS, FREE_FORM_MARKERS, FREE_FORM_TYPES, ONE_OF_MARKERS } from './random-free-form.js';

export interface RandomProject {
  /** Path relative to the project → content. */
  files: Record<string, string>;
}

const NAMES = Object.keys(MARKERS) as MarkerName[];
const spec = (name: MarkerName): MarkerSpec => MARKERS[name];
const ON_FIELDS = NAMES.filter((n) => spec(n).targets.some((t) => t === 'field' || t === 'type'));
const ON_TYPES = NAMES.filter((n) => spec(n).targets.includes('type'));
const ON_ROOT = NAMES.filter((n) => spec(n).targets.includes('root'));

const STRINGS = [
  'x',
  'abc',
  '',
  'int32',
  'int64',
  'date-time',
  'email',
  'string',
  'integer',
  'object',
  'bogus',
  '^[a-z][a-z0-9-]*$',
  '(?=a)b',
  '(a)\\1',
  '[z-a]',
  '\\d{2,3}',
  'a{1001}',
  '(?i)^abc$',
  '\\p{Greek}+',
  'atomic',
  'set',
  'map',
  'granular',
  'Namespaced',
  'Cluster',
  '.spec.replicas',
  '.status.replicas',
  'spec.x',
  'with space',
  'line\nbreak',
  'Things',
  'things',
  '9lives',
  'v1',
  'v2beta1',
  'Fail',
  'ignore',
  'None',
  'Some',
  'vthing.example.com',
  'thing.io',
  'FieldValueInvalid',
  'Exact',
  'app.kubernetes.io/name=x',
  'bad key=1',
];
/** CEL rules that compile on any schema and hold for any value. */
const RULES = ['true', 'self == self', '1 == 1'];
const JSON_VALUES: unknown[] = [
  0,
  1,
  3,
  -1,
  2.5,
  'x',
  'abc',
  '',
  true,
  null,
  [],
  ['a'],
  [1, 2],
  {},
  { a: 1 },
  { host: 'h', port: 1 },
];

const str = fc.constantFrom(...STRINGS);
const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });
const VALUES: Record<ValueType, fc.Arbitrary<unknown>> = {
  string: str,
  int: fc.integer({ min: -2, max: 12 }),
  number: fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom(0.5, 1.5, 2.5, -0.5, 0)),
  bool: fc.boolean(),
  any: fc.constantFrom(...JSON_VALUES),
  json: fc.constantFrom(...JSON_VALUES),
  stringList: list(str),
  anyList: list(fc.oneof(str, fc.integer({ min: -1, max: 5 }))),
};

/** A value as marker text: JSON, which the marker syntax reads for every type. */
const text = (value: unknown) => JSON.stringify(value);

function markerText(name: MarkerName, items: boolean): fc.Arbitrary<string> {
  const { value, fields } = spec(name);
  const written = items ? name.replace('validation:', 'validation:items:') : name;
  if (fields) {
    const entries = Object.entries(fields).map(([key, [type, required]]) => {
      const arbitrary = key === 'rule' ? fc.constantFrom(...RULES) : VALUES[type];
      const entry = arbitrary.map((v) => `${key}=${text(v)}`);
      return required ? entry : fc.option(entry, { nil: undefined });
    });
    return fc.tuple(...entries).map((parts) => {
      const present = parts.filter((p) => p !== undefined);
      return present.length ? `${written}:${present.join(',')}` : written;
    });
  }
  if (!value) return fc.constant(written);
  return VALUES[value].map((v) => `${written}=${text(v)}`);
}

const marker = (names: MarkerName[]) =>
  fc
    .tuple(fc.constantFrom(...names), fc.boolean())
    .chain(([name, items]) => markerText(name, items && spec(name).hasItemsVariant === true));

const V = 'kubebuilder:validation:';
/** Markers that fit a kind of field, with plausible values (some still invalid). */
const FITTING: Record<string, string[]> = {
  string: [
    `${V}MinLength=1`,
    `${V}MaxLength=10`,
    `${V}MaxLength=-1`,
    `${V}Pattern="^[a-z]+$"`,
    `${V}Pattern="(?i)^ab+$"`,
    `${V}Pattern="\\\\p{Greek}*"`,
    `${V}Pattern="(?=a)b"`,
    `${V}Pattern="(a)\\\\1"`,
    `${V}Enum=abc;x`,
    `${V}Enum=abc;abc`,
    `${V}Format=date-time`,
    'kubebuilder:default="abc"',
    'kubebuilder:default="ABC"',
    'kubebuilder:default=3',
    `${V}XValidation:rule="self == self",message="always"`,
    'nullable',
    'k8s:immutable',
    'k8s:required',
    'kubebuilder:default:="abc"',
    `${V}MaxLength:=4`,
    'default="abc"',
    'default=abc',
  ],
  number: [
    `${V}Minimum=1`,
    `${V}Maximum=10`,
    `${V}Maximum=0`,
    `${V}ExclusiveMinimum=true`,
    `${V}MultipleOf=2`,
    `${V}MultipleOf=0.5`,
    `${V}MultipleOf=0`,
    'kubebuilder:default=3',
    'kubebuilder:default=4',
    'kubebuilder:default=2.5',
    'kubebuilder:default=3000000000',
    'kubebuilder:default="x"',
    'k8s:minimum=1',
    'k8s:maximum=10 # ten',
    'default=4',
  ],
  array: [
    `${V}MinItems=1`,
    `${V}MaxItems=2`,
    `${V}MaxItems=0`,
    'listType=atomic',
    'listType=set',
    `${V}items:MaxLength=3`,
    `${V}items:Minimum=0`,
    'kubebuilder:default=["abc"]',
    'kubebuilder:default=[1, 2]',
    'kubebuilder:default=[]',
    'kubebuilder:default:={}',
    'k8s:maxItems=2 # two',
    'k8s:listType=atomic',
    'default=["abc"]',
  ],
  object: [
    `${V}MinProperties=1`,
    `${V}MaxProperties=2`,
    'mapType=atomic',
    'kubebuilder:default={}',
    'kubebuilder:default={a: "x"}',
    'kubebuilder:default={unknownField: 1}',
    'kubebuilder:pruning:PreserveUnknownFields',
  ],
  free: FREE_FORM_MARKERS,
};
const kindOf = (type: string) =>
  FREE_FORM_TYPES.includes(type)
    ? 'free'
    : type.endsWith('[]') || type.startsWith('[')
      ? 'array'
      : /^(Record|T\d)/.test(type)
        ? 'object'
        : /^(number|int32|int64|1 \| 2)$/.test(type)
          ? 'number'
          : 'string';
const fieldMarkers = (type: string) =>
  fc.array(
    fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...FITTING[kindOf(type)]) },
      { weight: 1, arbitrary: marker(ON_FIELDS) },
    ),
    { maxLength: 3 },
  );

const FIELD_NAMES = ['replicas', 'name', 'image', 'size', 'tags', 'mode', 'a', 'b', 'port'];
const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'a-b',
  'with space',
  'x.y',
  '$ref',
  'ñandú',
  'hasOwnProperty',
];
const fieldName = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_NAMES) },
);

const SCALARS = [
  'string',
  'number',
  'boolean',
  'int32',
  'int64',
  'IntOrString',
  'Quantity',
  'Time',
  'MicroTime',
  'int',
  "'a' | 'b'",
  '1 | 2',
  /** A string alias with markers of its own (`Short`, declared in every project): field markers go over it as over a $ref. */
  'Short',
];
const leafType = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SCALARS) },
  { weight: 1, arbitrary: fc.constantFrom(...SCALARS).map((t) => (t.includes('|') ? `(${t})[]` : `${t}[]`)) },
  { weight: 1, arbitrary: fc.constantFrom('Record<string, string>', 'Record<string, int32>', 'Record<Short, string>') },
  { weight: 1, arbitrary: fc.constantFrom('[int32, int32]', '[Short, Short, Short]', '[string, int32]') },
  { weight: 1, arbitrary: fc.constantFrom(...FREE_FORM_TYPES) },
);

interface Field {
  name: string;
  optional: boolean;
  type: string;
  markers: string[];
}
interface Decl {
  name: string;
  fields: Field[];
  markers: string[];
}

const field = (typeNames: string[]): fc.Arbitrary<Field> =>
  fc
    .record({
      name: fieldName,
      optional: fc.boolean(),
      type: typeNames.length
        ? fc.oneof({ weight: 3, arbitrary: leafType }, { weight: 1, arbitrary: fc.constantFrom(...typeNames) })
        : leafType,
    })
    .chain((f) => fieldMarkers(f.type).map((markers) => ({ ...f, markers })));

/** Object types `T0 … Tn`: each may use the ones after it, so there is no cycle. */
const decls = fc.integer({ min: 0, max: 2 }).chain((count) =>
  fc.tuple(
    ...Array.from({ length: count }, (_, i) =>
      fc.record({
        name: fc.constant(`T${i}`),
        fields: fc.array(field(Array.from({ length: count - i - 1 }, (_, j) => `T${i + j + 1}`)), {
          minLength: 1,
          maxLength: 3,
        }),
        markers: fc.array(fc.oneof(marker(ON_TYPES), fc.constantFrom(...ONE_OF_MARKERS)), { maxLength: 1 }),
      }),
    ),
  ),
);

const propertyName = (name: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name));

function renderDecl({ name, fields, markers }: Decl): string {
  const lines = markers.map((m) => `// +${m}`);
  lines.push(`export interface ${name} {`);
  for (const f of fields) {
    lines.push(...f.markers.map((m) => `  // +${m}`));
    lines.push(`  ${propertyName(f.name)}${f.optional ? '?' : ''}: ${f.type};`);
  }
  lines.push('}');
  return lines.join('\n');
}

const group = fc.oneof(
  { weight: 12, arbitrary: fc.constant('prop.example.com') },
  { weight: 1, arbitrary: fc.constantFrom('Prop.Example', 'noDots', '') },
);
const WEBHOOK =
  'kubebuilder:webhook:path=/validate,mutating=false,failurePolicy=fail,sideEffects=None,groups=prop.example.com,resources=widgets,verbs=create;update,versions=v1,admissionReviewVersions=v1';
const freeMarkers = fc.array(
  fc
    .oneof(
      {
        weight: 3,
        arbitrary: fc
          .constantFrom('infra', 'team-a', 'Bad_NS')
          .map((ns) => `kubebuilder:rbac:groups=apps,resources=deployments,verbs=get;list,namespace=${ns}`),
      },
      {
        weight: 3,
        arbitrary: fc.constantFrom('vwidget.prop.example.com', 'short.io').map((name) => `${WEBHOOK},name=${name}`),
      },
      {
        weight: 3,
        arbitrary: fc
          .constantFrom(0, 5, 31)
          .map((t) => `${WEBHOOK},name=vtimeout.prop.example.com,timeoutSeconds=${t}`),
      },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(
            '{"namespaceSelector":{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"NotIn","values":["kube-system"]}]}}',
            '{"matchConditions":[{"name":"c","expression":"true"}],"timeoutSeconds":null}',
            '{"objectSelecter":{}}',
          )
          .map(
            (patch) => `${WEBHOOK},name=vpatch.prop.example.com,serviceName=hooks,servicePort=9443,patch=\`${patch}\``,
          ),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('extra', 'a/b')
          .map((role) => `kubebuilder:rbac:groups=core,resources=pods,verbs=get,roleName=${role}`),
      },
      {
        weight: 1,
        arbitrary: marker(['kubebuilder:rbac', 'kubebuilder:webhook', 'kubebuilder:webhookconfiguration']),
      },
    )
    .map((m) => `// +${m}`),
  { maxLength: 2 },
);
const ROOT_MARKERS = [
  'kubebuilder:subresource:status',
  'kubebuilder:resource:path=widgets,shortName=wd,categories=all',
  'kubebuilder:resource:shortName=9w',
  'kubebuilder:resource:singular=Widget',
  'kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=".status.ready"',
  'kubebuilder:printcolumn:name="Age",type=date,JSONPath=".metadata.creationTimestamp",format=date',
  'kubebuilder:printcolumn:name="X",type=string,JSONPath="status.ready"',
  'kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas',
  'kubebuilder:deprecatedversion:warning="use v2"',
  'kubebuilder:metadata:labels=app.kubernetes.io/part-of=prop',
];
const rootMarker = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...ROOT_MARKERS) },
  { weight: 1, arbitrary: marker(ON_ROOT) },
);

export const randomProject: fc.Arbitrary<RandomProject> = fc
  .record({
    group,
    kind: fc.constantFrom('Widget', 'Gadget', 'Sprocket'),
    types: decls,
    spec: fc.array(field(['T0', 'T1']), { minLength: 1, maxLength: 4 }),
    rootMarkers: fc.array(rootMarker, { maxLength: 3 }),
    shortMarkers: fc.array(fc.constantFrom(...FITTING.string), { maxLength: 2 }),
    free: freeMarkers,
  })
  .map(({ group, kind, types, spec: specFields, rootMarkers, shortMarkers, free }) => {
    const available = new Set<string>(types.map((t) => t.name));
    const usable = specFields.filter((f) => !/T\d/.test(f.type) || available.has(f.type));
    const source = [
      `// +groupName=${group}`,
      "import type { V1ObjectMeta } from '@kubernetes/client-node';",
      "import type { int, int32, int64, IntOrString, MicroTime, Quantity, RawExtension, Time } from 'kubeforge/api';",
      '',
      FREE_FORM_DECLARATIONS,
      '',
      ...shortMarkers.map((m) => `// +${m}`),
      'export type Short = string;',
      '',
      ...types.map(renderDecl),
      renderDecl({ name: `${kind}Spec`, fields: usable, markers: [] }),
      '',
      '// +kubebuilder:object:root=true',
      ...rootMarkers.map((m) => `// +${m}`),
      `export interface ${kind} {`,
      '  apiVersion?: string;',
      '  kind?: string;',
      '  metadata?: V1ObjectMeta;',
      `  spec?: ${kind}Spec;`,
      '  status?: { ready?: boolean };',
      '}',
      '',
    ].join('\n');
    return {
      files: {
        [`api/v1/${kind.toLowerCase()}.types.ts`]: source,
        'src/controller.ts': [...free, 'export const controller = 1;', ''].join('\n'),
      },
    };
  });
