/**
 * Free-form JSON for `random-project.ts`: declarations every random project holds (a union member
 * with an untyped free-form field, one with a RawExtension, a recursive type behind Schemaless),
 * field types no CRD schema can say or that are free-form, and the markers that fit them — among
 * them CEL rules and one-of markers that the apiserver's CEL may not be able to compile.
 */
import fc from 'fast-check';

const V = 'kubebuilder:validation:';

export const FREE_FORM_DECLARATIONS = [
  "export interface Untyped { kind: 'U';",
  '  // +kubebuilder:pruning:PreserveUnknownFields',
  '  a?: unknown;',
  '}',
  "export interface Raw { kind: 'R';",
  '  a?: RawExtension;',
  '}',
  "export interface Named { kind: 'N'; b: string; }",
  'export interface TreeNode {',
  '  name?: string;',
  `  // +${V}Schemaless`,
  '  // +kubebuilder:pruning:PreserveUnknownFields',
  '  children?: TreeNode[];',
  '}',
].join('\n');

export const FREE_FORM_TYPES = [
  'unknown',
  'unknown[]',
  'RawExtension',
  'Untyped | Named',
  'Raw | Named',
  'Untyped | Raw',
  'TreeNode',
  'TreeNode[]',
  'string | boolean | TreeNode',
  'Record<number, string>',
];

export const FREE_FORM_MARKERS = [
  'kubebuilder:pruning:PreserveUnknownFields',
  'kubebuilder:pruning:PreserveUnknownFields',
  `${V}Schemaless`,
  `${V}Schemaless`,
  `${V}Type=object`,
  `${V}XValidation:rule="self == self",message="always"`,
  `${V}items:XValidation:rule="self == self",message="always"`,
  'k8s:immutable',
];

/** One-of markers over the usual field names, some of which are free-form. */
export const ONE_OF_MARKERS = [`${V}ExactlyOneOf=a;b`, `${V}AtMostOneOf=a;name`, `${V}AtLeastOneOf=a;b`];

const FIELD_NAMES = ['a', 'b', 'name', 'tree', 'value'];

/**
 * Projects whose spec holds only free-form fields, each with up to two of the markers above, and
 * maybe a one-of marker: most of them are valid, so what reaches the apiserver is mostly these.
 */
export const freeFormProject: fc.Arbitrary<{ files: Record<string, string> }> = fc
  .record({
    fields: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom(...FIELD_NAMES),
        optional: fc.boolean(),
        type: fc.constantFrom(...FREE_FORM_TYPES),
        markers: fc.uniqueArray(fc.constantFrom(...FREE_FORM_MARKERS), { maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 4, selector: (f) => f.name },
    ),
    oneOf: fc.option(fc.constantFrom(...ONE_OF_MARKERS), { nil: undefined }),
  })
  .map(({ fields, oneOf }) => ({
    files: {
      'api/v1/widget.types.ts': [
        '// +groupName=free.example.com',
        "import type { V1ObjectMeta } from '@kubernetes/client-node';",
        "import type { RawExtension } from 'kubeforge/api';",
        FREE_FORM_DECLARATIONS,
        ...(oneOf ? [`// +${oneOf}`] : []),
        'export interface WidgetSpec {',
        ...fields.flatMap((f) => [
          ...f.markers.map((m) => `  // +${m}`),
          `  ${f.name}${f.optional ? '?' : ''}: ${f.type};`,
        ]),
        '}',
        '// +kubebuilder:object:root=true',
        'export interface Widget {',
        '  apiVersion?: string;',
        '  kind?: string;',
        '  metadata?: V1ObjectMeta;',
        '  spec?: WidgetSpec;',
        '}',
        '',
      ].join('\n'),
    },
  }));
