/**
 * `+kubebuilder:webhook:…,patch=`{…}``: controller-gen v0.23's way to set what the marker has no
 * key for (namespaceSelector, objectSelector, matchConditions, …). The patch is JSON, checked
 * field by field against admissionregistration/v1's webhook entry (an unknown or mistyped field is
 * an error, as controller-gen's strict decoding makes it), then merged into the entry as a
 * strategic merge patch: objects merge, `null` removes a field, lists replace (the entry the
 * marker builds has no list with a merge key filled in, so merging by key would give the same).
 */
import { didYouMean } from './did-you-mean.js';

/** A JSON shape: a scalar kind, an enum, a list, a string map or an object's fields. */
type Shape =
  | 'string'
  | 'int'
  | { oneOf: readonly string[] }
  | { list: Shape }
  | { mapOf: 'string' }
  | { fields: Record<string, Shape> };

const LABEL_SELECTOR: Shape = {
  fields: {
    matchLabels: { mapOf: 'string' },
    matchExpressions: {
      list: {
        fields: {
          key: 'string',
          operator: { oneOf: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: { list: 'string' },
        },
      },
    },
  },
};

const ENTRY_FIELDS: Record<string, Shape> = {
  name: 'string',
  clientConfig: {
    fields: {
      url: 'string',
      caBundle: 'string',
      service: { fields: { name: 'string', namespace: 'string', path: 'string', port: 'int' } },
    },
  },
  rules: {
    list: {
      fields: {
        operations: { list: { oneOf: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*'] } },
        apiGroups: { list: 'string' },
        apiVersions: { list: 'string' },
        resources: { list: 'string' },
        scope: { oneOf: ['*', 'Cluster', 'Namespaced'] },
      },
    },
  },
  failurePolicy: { oneOf: ['Fail', 'Ignore'] },
  matchPolicy: { oneOf: ['Exact', 'Equivalent'] },
  namespaceSelector: LABEL_SELECTOR,
  objectSelector: LABEL_SELECTOR,
  sideEffects: { oneOf: ['None', 'NoneOnDryRun'] },
  timeoutSeconds: 'int',
  admissionReviewVersions: { list: 'string' },
  matchConditions: { list: { fields: { name: 'string', expression: 'string' } } },
};

/** The fields of a validating entry; a mutating one also has reinvocationPolicy. */
function entryShape(mutating: boolean): Shape {
  return {
    fields: mutating ? { ...ENTRY_FIELDS, reinvocationPolicy: { oneOf: ['Never', 'IfNeeded'] } } : ENTRY_FIELDS,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with `value` as `shape` at `path` (`namespaceSelector.matchLabels`), as message texts. */
function check(value: unknown, shape: Shape, path: string, out: string[], entry: string): void {
  if (value === null) return;
  const at = path || 'the patch';
  if (shape === 'string') {
    if (typeof value !== 'string') out.push(`${at} must be a string`);
  } else if (shape === 'int') {
    if (!Number.isInteger(value)) out.push(`${at} must be an integer`);
  } else if ('oneOf' in shape) {
    if (!shape.oneOf.includes(value as string)) out.push(`${at} must be one of ${shape.oneOf.join(', ')}`);
  } else if ('list' in shape) {
    if (!Array.isArray(value)) out.push(`${at} must be a list`);
    else value.forEach((item, i) => check(item, shape.list, `${path}[${i}]`, out, entry));
  } else if (!isObject(value)) {
    out.push(`${at} must be an object`);
  } else if ('mapOf' in shape) {
    for (const [key, item] of Object.entries(value)) check(item, shape.mapOf, `${path}.${key}`, out, entry);
  } else {
    for (const [key, item] of Object.entries(value)) {
      const field = shape.fields[key];
      const name = path ? `${path}.${key}` : key;
      if (key.startsWith('$')) out.push(`${name}: strategic merge directives are not supported; write the result`);
      else if (!field) {
        const suggestion = didYouMean(key, Object.keys(shape.fields));
        out.push(`${name} is not a field of ${path || entry}${suggestion ? `; did you mean ${suggestion}?` : ''}`);
      } else check(item, field, name, out, entry);
    }
  }
}

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = merge(out[key], value);
    else out[key] = value;
  }
  return out;
}

/** The entry with `patchText` merged in, or the problems (`patch … must be …` texts) that keep it from applying. */
export function patchWebhook(
  entry: Record<string, unknown>,
  patchText: string,
  mutating: boolean,
): { entry: Record<string, unknown> } | { problems: string[] } {
  let patch: unknown;
  try {
    patch = JSON.parse(patchText);
  } catch (error) {
    return { problems: [`patch= is not JSON (${(error as Error).message}); quote it with backticks`] };
  }
  const problems: string[] = [];
  check(patch, entryShape(mutating), '', problems, `a ${mutating ? 'mutating' : 'validating'} webhook`);
  if (problems.length > 0) return { problems: problems.map((problem) => `patch= ${problem}`) };
  return { entry: merge(entry, patch as Record<string, unknown>) };
}
