/**
 * The cached client: reads come from the informer cache (an informer starts for a kind on its
 * first read, and the read waits for its first list), writes go to the apiserver. Reads return
 * copies, so callers may change what they get without corrupting the cache. A list without a
 * namespace returns everything cached of the kind. Field selectors and `matchingFields` are
 * answered from field indexes (`indexField`); metadata.name and metadata.namespace need none.
 */
import { describeRequest, requireNamespace, type DirectClient } from '../client/index.js';
import { fieldSelectorFor, parseFieldSelector, type FieldRequirement } from '../field-selector.js';
import { kindName } from '../kinds.js';
import type { Client, KubeObject, ListOptions, ObjectKey, ObjectKind } from '../types.js';
import { fieldIndexName, listByFieldIndexes } from './field-index.js';
import type { InformerCache } from './informer-cache.js';
import type { SharedInformer } from './informer.js';
import { labelMatcher } from './label-selector.js';

/** Reads from `cache`, writes through `direct`. */
export function cachedClient(cache: InformerCache, direct: DirectClient): Client {
  async function syncedInformer<T extends KubeObject>(kind: ObjectKind<T>, verb: string): Promise<SharedInformer<T>> {
    if (!cache.isStarted()) {
      throw new Error(
        `${describeRequest(verb, kind)}: the cache is not running; read with the manager's apiReader until it starts`,
      );
    }
    if (!cache.hasInformerFor(kind)) {
      // Fail now, not by waiting forever for an informer whose list can never succeed.
      await direct.kindFor(kind.apiVersion, kind.kind);
      if (!cache.hasInformerFor(kind) && cache.wouldCacheClusterWide(kind)) {
        cache.logger?.warn(
          { kind: kindName(kind) },
          `a cached read of ${kind.kind} starts an informer over every ${kind.kind} in the cluster; restrict it with the cache's namespace or byObject selectors, or read with apiReader`,
        );
      }
    }
    const informer = cache.informerFor(kind);
    if (!(await cache.waitForInformerSync(informer))) {
      throw new Error(`${describeRequest(verb, kind)}: the cache stopped before the informer synced`);
    }
    return informer;
  }

  function checkNamespace(
    informer: { namespaces?: readonly string[] },
    kind: ObjectKind,
    namespace: string | undefined,
    verb: string,
  ): void {
    const cached = informer.namespaces;
    if (kind.namespaced && cached && namespace && !cached.includes(namespace)) {
      throw new Error(
        `${describeRequest(verb, kind)}: the cache holds ${kind.kind} of namespace${cached.length > 1 ? 's' : ''} ${cached.join(', ')} only, not of ${namespace}`,
      );
    }
  }

  return {
    async get<T extends KubeObject>(kind: ObjectKind<T>, key: ObjectKey): Promise<T | undefined> {
      const k = requireNamespace(kind, key, 'get');
      const informer = await syncedInformer(kind, 'get');
      checkNamespace(informer, kind, k.namespace, 'get');
      const object = informer.get(k);
      return object && structuredClone(object);
    },
    async list<T extends KubeObject>(kind: ObjectKind<T>, options: ListOptions = {}): Promise<T[]> {
      const informer = await syncedInformer(kind, 'list');
      checkNamespace(informer, kind, options.namespace, 'list');
      const selector = fieldSelectorFor(options);
      const requirements = selector ? parseFieldSelector(selector) : [];
      const indexed = requirements.filter((r) => informer.hasIndex(fieldIndexName(r.field)));
      const namespace = kind.namespaced ? options.namespace : undefined;
      let objects =
        indexed.length > 0
          ? listByFieldIndexes(kind, informer, indexed, namespace)
          : informer.list({ namespace: options.namespace });
      const rest = requirements.filter((r) => !indexed.includes(r)).map((r) => metadataMatcher(kind, r));
      if (options.labelSelector) {
        const matches = labelMatcher(options.labelSelector);
        objects = objects.filter((o) => matches(o.metadata?.labels));
      }
      if (rest.length > 0) objects = objects.filter((o) => rest.every((matches) => matches(o)));
      return objects.map((o) => structuredClone(o));
    },
    create: (kind, object, options) => direct.create(kind, object, options),
    update: (kind, object, options) => direct.update(kind, object, options),
    patch: (kind, key, patch, options) => direct.patch(kind, key, patch, options),
    apply: (kind, object, options) => direct.apply(kind, object, options),
    delete: (kind, key, options) => direct.delete(kind, key, options),
    deleteAllOf: (kind, options) => direct.deleteAllOf(kind, options),
    status: () => direct.status(),
  };
}

/** Without an index, cached lists match the fields every object has: metadata.name and metadata.namespace. */
function metadataMatcher(kind: ObjectKind, { field, operator, value }: FieldRequirement): (o: KubeObject) => boolean {
  if (field !== 'metadata.name' && field !== 'metadata.namespace') {
    throw new Error(
      `${describeRequest('list', kind)}: the cache has no index for field "${field}"; register one with mgr.fieldIndexer.indexField(${kind.kind}, '${field}', extract) before listing by it, or read with apiReader (without an index, cached lists support field selectors on metadata.name and metadata.namespace only, not "${field}${operator}${value}")`,
    );
  }
  const read = (o: KubeObject) => (field === 'metadata.name' ? o.metadata?.name : o.metadata?.namespace) ?? '';
  return (o) => (operator === '!=' ? read(o) !== value : read(o) === value);
}
