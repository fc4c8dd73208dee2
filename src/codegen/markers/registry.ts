/**
 * The markers kubeforge understands: controller-gen's set, each with where it may appear and what
 * its value looks like. Parsing a marker against this table is the lint pass: unknown names get a
 * did-you-mean, values are type-checked, and the target is checked when the marker is used.
 */
import type { SourceLocation } from '../diagnostics.js';
import { didYouMean } from './did-you-mean.js';
import { MarkerValueError, parseAny, parseFields, parseList, unquote } from './syntax.js';

/** Where a marker may sit: a package (file), any type, a field, the root type of a kind, or anywhere. */
export type MarkerTarget = 'package' | 'type' | 'field' | 'root' | 'anywhere';
export type ValueType = 'string' | 'int' | 'number' | 'bool' | 'any' | 'stringList' | 'anyList';

export interface MarkerDefinition {
  name: string;
  targets: MarkerTarget[];
  /** The type of `+name=value`; absent for flags and for markers with named fields. */
  value?: ValueType;
  /** Named arguments of `+name:key=value,…`; `true` marks a required one. */
  fields?: Record<string, [ValueType, boolean?]>;
  /** `items:` variants apply to the elements of an array. */
  hasItemsVariant?: boolean;
  /** Recognised but without effect on manifests (other generators' markers). */
  ignored?: boolean;
}

export interface Marker {
  /** The definition's name; `items:` variants keep the base name and set `items`. */
  name: string;
  items: boolean;
  value: unknown;
  fields: Record<string, unknown>;
  loc: SourceLocation;
  definition: MarkerDefinition;
}

const V = 'kubebuilder:validation:';
const FIELD_OR_TYPE: MarkerTarget[] = ['field', 'type'];
const validation = (name: string, value?: ValueType): MarkerDefinition => ({
  name: V + name,
  targets: FIELD_OR_TYPE,
  value,
  hasItemsVariant: true,
});
const flag = (name: string, targets: MarkerTarget[]): MarkerDefinition => ({ name, targets });

const DEFINITIONS: MarkerDefinition[] = [
  validation('Minimum', 'number'),
  validation('Maximum', 'number'),
  validation('ExclusiveMinimum', 'bool'),
  validation('ExclusiveMaximum', 'bool'),
  validation('MultipleOf', 'number'),
  validation('MinLength', 'int'),
  validation('MaxLength', 'int'),
  validation('Pattern', 'string'),
  validation('MinItems', 'int'),
  validation('MaxItems', 'int'),
  validation('UniqueItems', 'bool'),
  validation('MinProperties', 'int'),
  validation('MaxProperties', 'int'),
  validation('Enum', 'anyList'),
  validation('Format', 'string'),
  validation('Type', 'string'),
  validation('XIntOrString'),
  validation('EmbeddedResource'),
  validation('Schemaless'),
  {
    name: V + 'XValidation',
    targets: FIELD_OR_TYPE,
    hasItemsVariant: true,
    fields: {
      rule: ['string', true],
      message: ['string'],
      messageExpression: ['string'],
      reason: ['string'],
      fieldPath: ['string'],
      optionalOldSelf: ['bool'],
    },
  },
  { name: V + 'ExactlyOneOf', targets: ['type'], value: 'stringList' },
  { name: V + 'AtMostOneOf', targets: ['type'], value: 'stringList' },
  { name: V + 'AtLeastOneOf', targets: ['type'], value: 'stringList' },
  flag(V + 'Optional', ['field', 'package']),
  flag(V + 'Required', ['field', 'package']),
  flag('optional', ['field']),
  flag('required', ['field']),
  flag('nullable', ['field']),
  flag('k8s:immutable', FIELD_OR_TYPE),
  { name: 'kubebuilder:default', targets: ['field'], value: 'any' },
  { name: 'default', targets: ['field'], value: 'any' },
  { name: 'kubebuilder:example', targets: FIELD_OR_TYPE, value: 'any' },
  { name: 'kubebuilder:title', targets: FIELD_OR_TYPE, value: 'string' },
  { name: 'listType', targets: FIELD_OR_TYPE, value: 'string' },
  { name: 'listMapKey', targets: FIELD_OR_TYPE, value: 'string' },
  { name: 'mapType', targets: FIELD_OR_TYPE, value: 'string' },
  { name: 'structType', targets: FIELD_OR_TYPE, value: 'string' },
  flag('kubebuilder:pruning:PreserveUnknownFields', FIELD_OR_TYPE),
  { name: 'kubebuilder:object:root', targets: ['type'], value: 'bool' },
  { name: 'kubebuilder:object:generate', targets: ['type', 'package'], value: 'bool', ignored: true },
  flag('kubebuilder:subresource:status', ['root']),
  {
    name: 'kubebuilder:subresource:scale',
    targets: ['root'],
    fields: { specpath: ['string', true], statuspath: ['string', true], selectorpath: ['string'] },
  },
  {
    name: 'kubebuilder:resource',
    targets: ['root'],
    fields: {
      path: ['string'],
      scope: ['string'],
      shortName: ['stringList'],
      categories: ['stringList'],
      singular: ['string'],
    },
  },
  {
    name: 'kubebuilder:printcolumn',
    targets: ['root'],
    fields: {
      name: ['string', true],
      type: ['string', true],
      JSONPath: ['string', true],
      description: ['string'],
      format: ['string'],
      priority: ['int'],
    },
  },
  flag('kubebuilder:storageversion', ['root']),
  flag('kubebuilder:unservedversion', ['root']),
  flag('kubebuilder:skipversion', ['root']),
  { name: 'kubebuilder:deprecatedversion', targets: ['root'], fields: { warning: ['string'] } },
  { name: 'kubebuilder:metadata', targets: ['root'], fields: { annotations: ['stringList'], labels: ['stringList'] } },
  { name: 'kubebuilder:selectablefield', targets: ['root'], fields: { JSONPath: ['string', true] } },
  { name: 'groupName', targets: ['package'], value: 'string' },
  { name: 'versionName', targets: ['package'], value: 'string' },
  flag('kubebuilder:skip', ['package']),
  {
    name: 'kubebuilder:rbac',
    targets: ['anywhere'],
    fields: {
      groups: ['stringList'],
      resources: ['stringList'],
      resourceNames: ['stringList'],
      verbs: ['stringList', true],
      urls: ['stringList'],
      namespace: ['string'],
    },
  },
  {
    name: 'kubebuilder:webhook',
    targets: ['anywhere'],
    fields: {
      path: ['string', true],
      mutating: ['bool', true],
      failurePolicy: ['string', true],
      sideEffects: ['string', true],
      groups: ['stringList', true],
      resources: ['stringList', true],
      verbs: ['stringList', true],
      versions: ['stringList', true],
      name: ['string', true],
      admissionReviewVersions: ['stringList', true],
      matchPolicy: ['string'],
      reinvocationPolicy: ['string'],
      timeoutSeconds: ['int'],
      webhookVersions: ['stringList'],
      url: ['string'],
    },
  },
];

/** Prefixes of other generators' markers, accepted and ignored (as controller-gen ignores them). */
const IGNORED_PREFIXES = [
  'genclient',
  'k8s:deepcopy-gen',
  'k8s:openapi-gen',
  'kubeforge:scaffold:',
  'kubebuilder:scaffold:',
];

const BY_NAME = new Map<string, MarkerDefinition>();
for (const definition of DEFINITIONS) {
  BY_NAME.set(definition.name, definition);
  if (definition.hasItemsVariant) {
    const itemsName = definition.name.replace(V, V + 'items:');
    BY_NAME.set(itemsName, { ...definition, name: itemsName });
  }
}
const NAMES_LONGEST_FIRST = [...BY_NAME.keys()].sort((a, b) => b.length - a.length);

function convert(raw: string | true, type: ValueType): unknown {
  if (raw === true) {
    if (type === 'bool') return true;
    throw new MarkerValueError('a value is required');
  }
  switch (type) {
    case 'string':
      return unquote(raw);
    case 'int':
    case 'number': {
      const text = unquote(raw);
      const n = Number(text);
      if (text === '' || !Number.isFinite(n) || (type === 'int' && !Number.isInteger(n))) {
        throw new MarkerValueError(
          `expected ${type === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw.trim())}`,
        );
      }
      return n;
    }
    case 'bool': {
      const text = unquote(raw);
      if (text !== 'true' && text !== 'false')
        throw new MarkerValueError(`expected true or false, got ${JSON.stringify(raw.trim())}`);
      return text === 'true';
    }
    case 'any':
      return parseAny(raw);
    case 'anyList':
      return parseList(raw);
    case 'stringList':
      return parseList(raw).map((v) => String(v));
  }
}

function findDefinition(
  text: string,
): { definition: MarkerDefinition; rest: string | undefined; separator: string } | undefined {
  for (const name of NAMES_LONGEST_FIRST) {
    if (text === name) return { definition: BY_NAME.get(name)!, rest: undefined, separator: '' };
    const separator = text.charAt(name.length);
    if (text.startsWith(name) && (separator === '=' || separator === ':')) {
      return { definition: BY_NAME.get(name)!, rest: text.slice(name.length + 1), separator };
    }
  }
  return undefined;
}

export type MarkerParseResult = { marker: Marker } | { ignored: true } | { error: string };

/** Parses the text after `+` of one marker comment line. */
export function parseMarker(text: string, loc: SourceLocation): MarkerParseResult {
  const trimmed = text.trim();
  if (IGNORED_PREFIXES.some((prefix) => trimmed.startsWith(prefix))) return { ignored: true };
  const found = findDefinition(trimmed);
  if (!found) {
    // `+name:key=value` → try `name:key`, then `name`: the longest prefix with a close match wins.
    const parts = trimmed.split('=')[0].split(':');
    const known = [...BY_NAME.keys()];
    for (let n = parts.length; n >= 1; n--) {
      const suggestion = didYouMean(parts.slice(0, n).join(':'), known);
      if (suggestion) return { error: `unknown marker +${parts.slice(0, n).join(':')}; did you mean +${suggestion}?` };
    }
    return { error: `unknown marker +${trimmed.split('=')[0]}` };
  }
  const { definition, rest, separator } = found;
  if (definition.ignored) return { ignored: true };
  const items = definition.name.startsWith(V + 'items:');
  const name = items ? definition.name.replace('items:', '') : definition.name;
  const marker: Marker = { name, items, value: undefined, fields: {}, loc, definition };
  try {
    if (definition.fields) {
      if (rest !== undefined && separator !== ':')
        return { error: `+${definition.name} takes named arguments (+${definition.name}:key=value,…)` };
      for (const [key, raw] of parseFields(rest ?? '')) {
        const spec = definition.fields[key];
        if (!spec) {
          const suggestion = didYouMean(key, Object.keys(definition.fields));
          return {
            error: `+${definition.name} has no argument "${key}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
          };
        }
        marker.fields[key] = convert(raw, spec[0]);
      }
      const missing = Object.entries(definition.fields).filter(([key, spec]) => spec[1] && !(key in marker.fields));
      if (missing.length > 0) return { error: `+${definition.name} is missing ${missing.map(([k]) => k).join(', ')}` };
    } else if (definition.value) {
      if (rest === undefined && definition.value !== 'bool')
        return { error: `+${definition.name} needs a value (+${definition.name}=…)` };
      if (separator === ':') return { error: `+${definition.name} takes a value with "=", not ":"` };
      marker.value = convert(rest ?? true, definition.value);
    } else if (rest !== undefined) {
      return { error: `+${definition.name} takes no value` };
    }
  } catch (error) {
    if (error instanceof MarkerValueError) return { error: `+${definition.name}: ${error.message}` };
    throw error;
  }
  return { marker };
}
