import { describe, expect, it } from 'vitest';
import type { DirectClient, ListPageOptions, WatchOptions } from '../client/index.js';
import { ConfigMap } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { SharedInformer } from './informer.js';

/**
 * An apiserver of fixed ConfigMaps per namespace whose watches stay open and silent; a list of
 * a namespace named in `hang` never answers. The real-apiserver behaviour is covered by
 * test/runtime/cache-scope.test.ts.
 */
function fixedClient(objects: Record<string, string[]>, hang: string[] = []) {
  const lists: string[] = [];
  const untilAborted = (signal?: AbortSignal) =>
    new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
  const client = {
    async listPage(_kind: unknown, options: ListPageOptions) {
      const namespace = options.namespace ?? '';
      lists.push(namespace);
      if (hang.includes(namespace)) return untilAborted(options.signal);
      const items: KubeObject[] = Object.entries(objects)
        .filter(([ns]) => !namespace || ns === namespace)
        .flatMap(([ns, names]) => names.map((name) => ({ metadata: { namespace: ns, name, resourceVersion: '1' } })));
      return { items, resourceVersion: '1' };
    },
    async watch(_kind: unknown, options: WatchOptions & { signal?: AbortSignal }) {
      await untilAborted(options.signal);
      return (async function* () {})();
    },
  };
  return { client: client as unknown as DirectClient, lists };
}

const keys = (informer: SharedInformer<KubeObject>) =>
  informer
    .list()
    .map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`)
    .sort();

describe('SharedInformer namespaces', () => {
  it('lists each namespace on its own and is synced once all have listed', async () => {
    const { client, lists } = fixedClient({ a: ['x'], b: ['y'], c: ['z'] });
    const informer = new SharedInformer(client, ConfigMap, { namespaces: ['a', 'b'] });
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    expect(await informer.waitForSync(stop.signal)).toBe(true);
    expect(lists.sort()).toEqual(['a', 'b']);
    expect(keys(informer)).toEqual(['a/x', 'b/y']);
    expect(informer.namespaces).toEqual(['a', 'b']);
    stop.abort();
    await running;
  });

  it('drops removed namespaces silently and settles a change whose namespace was removed before it listed', async () => {
    const { client } = fixedClient({ a: ['x'], b: ['y'], slow: ['s'] }, ['slow']);
    const informer = new SharedInformer(client, ConfigMap, { namespaces: ['a'] });
    const deletes: string[] = [];
    informer.addEventHandler({ onDelete: (o) => deletes.push(o.metadata!.name!) });
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    await informer.waitForSync(stop.signal);
    const pending = informer.changeNamespaces(['a', 'slow']);
    expect(await informer.changeNamespaces(['b'])).toBe(true);
    expect(await pending).toBe(true);
    expect(keys(informer)).toEqual(['b/y']);
    expect(deletes).toEqual([]);
    stop.abort();
    await running;
  });
});
