/**
 * Random JSON Schema documents for the import property test: objects, arrays, maps, scalars with
 * consistent validations (draft-07 numeric exclusive bounds too), consts, enums, nullable type
 * lists, pattern properties, `$ref`s into `definitions` and `$defs` (which may refer to each
 * other, cycles included), unions of consts, discriminated unions, unions of different types and
 * `allOf` of a reference and an object.
 */
import fc from 'fast-check';

type Schema = Record<string, unknown>;

const DEFINITIONS = ['address', 'tree-node', 'limits'];
const DEFS = ['label', 'step'];
const REFS = [...DEFINITIONS.map((n) => `#/definitions/${n}`), ...DEFS.map((n) => `#/$defs/${n}`)];
const FIELD = fc.constantFrom('name', 'size', 'mode', 'items', 'owner', 'ratio', 'labels', 'kind2', 'value', 'note');
const WORD = fc.constantFrom('alpha', 'beta', 'gamma', 'delta');

const bounds = (integer: boolean) =>
  fc
    .record({
      low: fc.integer({ min: -50, max: 50 }),
      span: fc.integer({ min: 2, max: 100 }),
      lowKind: fc.constantFrom('minimum', 'exclusiveMinimum', 'none'),
      highKind: fc.constantFrom('maximum', 'exclusiveMaximum', 'none'),
      multipleOf: fc.option(fc.constantFrom(1, 2, 5), { nil: undefined }),
    })
    .map(({ low, span, lowKind, highKind, multipleOf }) => {
      const schema: Schema = { type: integer ? 'integer' : 'number' };
      if (lowKind !== 'none') schema[lowKind] = low;
      if (highKind !== 'none') schema[highKind] = low + span;
      if (multipleOf && integer) schema.multipleOf = multipleOf;
      return schema;
    });

const text = fc
  .record({
    minLength: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    maxLength: fc.option(fc.integer({ min: 4, max: 64 }), { nil: undefined }),
    pattern: fc.option(fc.constantFrom('^[a-z]+$', '^[a-z0-9-]*$', '\\d'), { nil: undefined }),
    format: fc.option(fc.constantFrom('date-time', 'email', 'uri'), { nil: undefined }),
  })
  .map((v) => ({ type: 'string', ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) }));

const leaf: fc.Arbitrary<Schema> = fc.oneof(
  text,
  bounds(true),
  bounds(false),
  fc.constant({ type: 'boolean' }),
  fc.oneof(WORD, fc.integer({ min: 0, max: 9 }), fc.boolean()).map((value) => ({ const: value })),
  fc.uniqueArray(WORD, { minLength: 1, maxLength: 4 }).map((values) => ({ type: 'string', enum: values })),
  fc.constantFrom('string', 'integer', 'boolean').map((type) => ({ type: [type, 'null'] })),
  fc.constantFrom(...REFS).map((ref) => ({ $ref: ref })),
);

const { schema } = fc.letrec<{ schema: Schema; object: Schema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'xsmall', withCrossShrink: true },
    leaf,
    tie('object'),
    tie('schema').map((items) => ({ type: 'array', items, minItems: 1 })),
    tie('schema').map((value) => ({ type: 'object', additionalProperties: value })),
    tie('schema').map((value) => ({
      type: 'object',
      patternProperties: { '^[a-z][a-z0-9]*$': value },
      additionalProperties: false,
    })),
    fc
      .uniqueArray(WORD, { minLength: 2, maxLength: 3 })
      .map((values) => ({ oneOf: values.map((v) => ({ const: v })) })),
    // A field both members declare is one field of the CRD's object only when its schemas agree.
    fc
      .tuple(tie('schema'), tie('schema'), leaf, fc.oneof(leaf, fc.constant(undefined)))
      .map(([a, b, shared, other]) => ({
        oneOf: [
          { type: 'object', required: ['kind', 'a'], properties: { kind: { const: 'A' }, a, shared } },
          { type: 'object', required: ['kind'], properties: { kind: { const: 'B' }, b, shared: other ?? shared } },
        ],
      })),
    fc.tuple(leaf, tie('object')).map(([a, b]) => ({ anyOf: [a, b] })),
    // The object adds fields of its own (an allOf redeclaring a field differently is refused by
    // manifests' intersection rule; docs/manifests.md).
    fc
      .tuple(fc.constantFrom(...REFS), tie('schema'), fc.integer({ min: 0, max: 999_999 }))
      .map(([ref, value, n]) => ({ allOf: [{ $ref: ref }, { type: 'object', properties: { [`extra${n}`]: value } }] })),
  ),
  object: fc.dictionary(FIELD, tie('schema'), { minKeys: 1, maxKeys: 3 }).chain((properties) =>
    fc.subarray(Object.keys(properties)).map((required) => ({
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
    })),
  ),
}));

/** A JSON Schema document with definitions; each `$ref` it may hold resolves. */
export const randomJsonSchema: fc.Arbitrary<Schema> = fc
  .record({
    root: fc.dictionary(FIELD, schema, { minKeys: 1, maxKeys: 4 }),
    definitions: fc.tuple(...DEFINITIONS.map(() => schema)),
    defs: fc.tuple(...DEFS.map(() => schema)),
    description: fc.option(fc.constantFrom('A random document.', 'Holds */ and `ticks`.'), { nil: undefined }),
  })
  .map(({ root, definitions, defs, description }) => ({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'random',
    ...(description ? { description } : {}),
    type: 'object',
    properties: root,
    definitions: Object.fromEntries(DEFINITIONS.map((name, i) => [name, definitions[i]])),
    $defs: Object.fromEntries(DEFS.map((name, i) => [name, defs[i]])),
  }));
