/**
 * Every marker kubeforge knows: controller-gen's set, one object per marker in its family's file,
 * gathered here under their names. `MarkerName` (the keys) makes a mistyped name in code a
 * compile-time error. Parsing a marker against this table is the lint pass: unknown names get a
 * did-you-mean, values are type-checked, and the target is checked when the marker is used.
 */
import type { SourceLocation } from '../diagnostics.js';
import { CRD_MARKERS } from './crd.js';
import type { MarkerDefinition, MarkerSpec, ParsedMarker, ValueType } from './definition.js';
import { didYouMean } from './did-you-mean.js';
import { RBAC_MARKERS } from './rbac.js';
import { SCHEMA_MARKERS } from './schema.js';
import { MarkerValueError, parseAny, parseFields, parseList, unquote } from './syntax.js';
import { VALIDATION_MARKERS } from './validation.js';
import { WEBHOOK_MARKERS } from './webhook.js';

/** Every marker by name, family by family; did-you-mean prefers the earlier of equally close names. */
export const MARKERS = {
  ...VALIDATION_MARKERS,
  ...SCHEMA_MARKERS,
  ...CRD_MARKERS,
  ...RBAC_MARKERS,
  ...WEBHOOK_MARKERS,
};
export type MarkerName = keyof typeof MARKERS;
/** A marker as the passes see it: its name is one of `MarkerName`. */
export type Marker = ParsedMarker<MarkerName>;

/** Whether two markers are the same marker on the same target: one spelling or two (`listType`, `k8s:listType`), by their effect. */
export function sameMarker(a: Marker, b: Marker): boolean {
  const spec = (marker: Marker): MarkerSpec => MARKERS[marker.name];
  const effect = (marker: Marker) => spec(marker).applyToSchema ?? spec(marker);
  return effect(a) === effect(b) && a.items === b.items;
}

/**
 * Whether `+kubebuilder:validation:Schemaless` (not its `items:` variant) is among the markers: then
 * the markers alone make the schema, the type is not looked at (as controller-gen does).
 */
export function isSchemaless(markers: Marker[]): boolean {
  return markers.some((m) => m.name === 'kubebuilder:validation:Schemaless' && !m.items);
}

/** Prefixes of other generators' markers, accepted and ignored (as controller-gen ignores them). */
const IGNORED_PREFIXES = [
  'genclient',
  'k8s:deepcopy-gen',
  'k8s:openapi-gen',
  'kubeforge:scaffold:',
  'kubebuilder:scaffold:',
];

interface Parsed {
  definition: MarkerDefinition;
  name: MarkerName;
  items: boolean;
}

const V = 'kubebuilder:validation:';
const BY_NAME = new Map<string, Parsed>();
for (const name of Object.keys(MARKERS) as MarkerName[]) {
  const spec: MarkerSpec = MARKERS[name];
  BY_NAME.set(name, { definition: { ...spec, name }, name, items: false });
  if (spec.hasItemsVariant) {
    const itemsName = name.replace(V, V + 'items:');
    BY_NAME.set(itemsName, { definition: { ...spec, name: itemsName }, name, items: true });
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
    case 'json': {
      const text = raw.trim();
      if (text.startsWith('ref(')) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new MarkerValueError(
          `expected JSON (strings in double quotes: +default="Allow"), got ${JSON.stringify(text)}; +kubebuilder:default takes the marker syntax`,
        );
      }
    }
    case 'anyList':
      return parseList(raw);
    case 'stringList':
      return parseList(raw).map((v) => String(v));
  }
}

function findDefinition(text: string): (Parsed & { rest: string | undefined; separator: string }) | undefined {
  for (const name of NAMES_LONGEST_FIRST) {
    if (text === name) return { ...BY_NAME.get(name)!, rest: undefined, separator: '' };
    // controller-gen's anonymous-value form `+name:=value` is `+name=value`.
    if (text.startsWith(name + ':='))
      return { ...BY_NAME.get(name)!, rest: text.slice(name.length + 2), separator: '=' };
    const separator = text.charAt(name.length);
    if (text.startsWith(name) && (separator === '=' || separator === ':')) {
      return { ...BY_NAME.get(name)!, rest: text.slice(name.length + 1), separator };
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
  const { definition, name, items, rest, separator } = found;
  if (definition.ignored) return { ignored: true };
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
      // Kubernetes' declarative validation tags (`+k8s:maxItems=16 # why`) end with a comment.
      const value = name.startsWith('k8s:') && rest?.includes('#') ? rest.slice(0, rest.indexOf('#')) : rest;
      marker.value = convert(value ?? true, definition.value);
    } else if (rest !== undefined) {
      return { error: `+${definition.name} takes no value` };
    }
  } catch (error) {
    if (error instanceof MarkerValueError) return { error: `+${definition.name}: ${error.message}` };
    throw error;
  }
  return { marker };
}
