/**
 * Field indexes, as controller-runtime's `FieldIndexer.IndexField`: a function maps an object to
 * the values of a field (e.g. the Secret a CR references), the cache keeps an index of them, and
 * the cached client answers `list(kind, { matchingFields: { field: value } })` from that index.
 * Each value is indexed twice, as `<namespace>/<value>` and `__all_namespaces/<value>`, so a list
 * in one namespace and a list across all of them are both one lookup.
 */
import { describeRequest } from '../client/index.js';
import type { FieldRequirement } from '../field-selector.js';
import type { IndexFunc, KubeObject, ObjectKind } from '../types.js';

/** Maps an object to the values of the indexed field (none, one or several). */
export type FieldExtractor<T extends KubeObject = KubeObject> = (object: T) => string[];

/** What `mgr.fieldIndexer` offers: register a field index on the cache. */
export interface FieldIndexer {
  /**
   * Indexes `field` of `kind` by what `extract` returns. Register before the manager starts;
   * registered later, the index is built from the objects already cached. A field can be
   * indexed once per kind.
   */
  indexField<T extends KubeObject>(kind: ObjectKind<T>, field: string, extract: FieldExtractor<T>): void;
}

const ALL_NAMESPACES = '__all_namespaces';

/** The store index holding `field` (controller-runtime's `field:<field>`). */
export function fieldIndexName(field: string): string {
  return `field:${field}`;
}

/** The index key of `value` within `namespace` (all namespaces when undefined). */
function fieldIndexKey(namespace: string | undefined, value: string): string {
  return `${namespace || ALL_NAMESPACES}/${value}`;
}

/** The store index function of an extractor: each value under its namespace and under all namespaces. */
export function fieldIndexFunc<T extends KubeObject>(extract: FieldExtractor<T>): IndexFunc<T> {
  return (object) => {
    const namespace = object.metadata?.namespace;
    const values = extract(object) ?? [];
    const keys = values.map((value) => fieldIndexKey(namespace, value));
    if (namespace) keys.push(...values.map((value) => fieldIndexKey(undefined, value)));
    return keys;
  };
}

interface Indexed<T> {
  hasIndex(name: string): boolean;
  byIndex(name: string, value: string): T[];
}

/**
 * The objects matching every indexed requirement (exact matches only, as controller-runtime's
 * cache reader): the first one is an index lookup, the others filter its result.
 */
export function listByFieldIndexes<T extends KubeObject>(
  kind: ObjectKind<T>,
  informer: Indexed<T>,
  requirements: FieldRequirement[],
  namespace: string | undefined,
): T[] {
  let result: T[] | undefined;
  for (const { field, operator, value } of requirements) {
    if (operator !== '=') {
      throw new Error(
        `${describeRequest('list', kind)}: the cache answers field "${field}" from its index, which supports exact matches (=) only, not !=; use apiReader`,
      );
    }
    const matches = informer.byIndex(fieldIndexName(field), fieldIndexKey(namespace, value));
    if (result === undefined) result = matches;
    else {
      const keep = new Set(matches);
      result = result.filter((object) => keep.has(object));
    }
    if (result.length === 0) return [];
  }
  return result ?? [];
}
