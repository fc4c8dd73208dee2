/**
 * The schema IR: apiextensions.k8s.io/v1 `JSONSchemaProps`, as plain data. A leaf module (like
 * `diagnostics.ts`), shared by `schema/`, which builds schemas, and the markers' schema effects.
 */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  items?: JSONSchemaProps;
  additionalProperties?: JSONSchemaProps | boolean;
  enum?: unknown[];
  default?: unknown;
  example?: unknown;
  externalDocs?: { description?: string; url?: string };
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: ValidationRule[];
}

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

const CEL_RESERVED = new Set(
  ['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if'].concat([
    'import',
    'let',
    'loop',
    'package',
    'namespace',
    'return',
    'var',
    'void',
    'while',
  ]),
);
const CEL_ESCAPES: Record<string, string> = {
  __: '__underscores__',
  '.': '__dot__',
  '-': '__dash__',
  '/': '__slash__',
};

/**
 * A property name as a CEL rule of the apiserver reaches it (`self.<name>`): `__proto__` is
 * `__underscores__proto__underscores__`, `my-field` is `my__dash__field`, `namespace` is
 * `__namespace__`, as Kubernetes escapes them; undefined for a name CEL cannot reach (one not of
 * the form `[a-zA-Z_.-/][a-zA-Z0-9_.-/]*`).
 */
export function celField(name: string): string | undefined {
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__|[.\-/]/g, (escaped) => CEL_ESCAPES[escaped]);
}

/** `value` as a single-quoted CEL string literal (backslashes, quotes and line breaks escaped). */
export function celString(value: string): string {
  const escaped = value.replace(
    /[\\'\n\r]/g,
    (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r' })[c] as string,
  );
  return `'${escaped}'`;
}

/** Appends a CEL rule to the schema's `x-kubernetes-validations`. */
export function addRule(schema: JSONSchemaProps, rule: ValidationRule): void {
  schema['x-kubernetes-validations'] = [...(schema['x-kubernetes-validations'] ?? []), rule];
}

export const INT_OR_STRING: JSONSchemaProps = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  'x-kubernetes-int-or-string': true,
};

/** The pattern controller-gen gives `resource.Quantity`. */
export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** Schemas of the scalar names `kubeforge/api` exports (and their core counterparts). */
export const SCALARS: Record<string, JSONSchemaProps> = {
  int: { type: 'integer' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  Time: { type: 'string', format: 'date-time' },
  MicroTime: { type: 'string', format: 'date-time' },
  Duration: { type: 'string' },
  Quantity: { ...INT_OR_STRING, pattern: QUANTITY_PATTERN },
  IntOrString: INT_OR_STRING,
  RawExtension: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
};
