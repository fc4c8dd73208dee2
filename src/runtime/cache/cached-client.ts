/**
 * The cached client: reads come from the informer cache (an informer starts for a kind on its
 * first read, and the read waits for its first list), writes go to the apiserver. Reads return
 * copies, so callers may change what they get without corrupting the cache. A list without a
 * namespace returns everything cached of the kind.
 */
import { describeRequest, requireNamespace, type DirectClient } from '../client/index.js';
import { kindName } from '../kinds.js';
import type { Client, KubeObject, ListOptions, ObjectKey, ObjectKind } from '../types.js';
import type { InformerCache } from './informer-cache.js';
import type { SharedInformer } from './informer.js';

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
    informer: { namespace?: string },
    kind: ObjectKind,
    namespace: string | undefined,
    verb: string,
  ): void {
    if (kind.namespaced && informer.namespace && namespace && namespace !== informer.namespace) {
      throw new Error(
        `${describeRequest(verb, kind)}: the cache holds ${kind.kind} of namespace ${informer.namespace} only, not of ${namespace}`,
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
      let objects = informer.list({ namespace: options.namespace, labelSelector: options.labelSelector });
      if (options.fieldSelector) objects = objects.filter(fieldMatcher(kind, options.fieldSelector));
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

/** Cached lists support the field selectors every kind has: metadata.name and metadata.namespace. */
function fieldMatcher(kind: ObjectKind, selector: string): (object: KubeObject) => boolean {
  const terms = selector.split(',').map((term) => {
    const match = /^\s*(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*([^\s,]*)\s*$/.exec(term);
    if (!match) {
      throw new Error(
        `${describeRequest('list', kind)}: cached lists support field selectors on metadata.name and metadata.namespace only, not "${term.trim()}"; use apiReader`,
      );
    }
    const [, field, operator, value] = match;
    const read = (o: KubeObject) => (field === 'metadata.name' ? o.metadata?.name : o.metadata?.namespace) ?? '';
    return (o: KubeObject) => (operator === '!=' ? read(o) !== value : read(o) === value);
  });
  return (object) => terms.every((term) => term(object));
}
