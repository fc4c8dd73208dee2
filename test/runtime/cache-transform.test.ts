import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMap, newClient, Secret, type DirectClient, type KubeObject } from '../../src/runtime/index.js';
import { newCache, type InformerCache } from '../../src/runtime/cache/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { eventually } from './recorder.js';

let direct: DirectClient;
let namespace: string;
const stop = new AbortController();

beforeAll(async () => {
  direct = newClient(testRestConfig());
  namespace = await createTestNamespace('cache-transform');
});

afterAll(() => {
  stop.abort();
  direct?.close();
});

/** The cached object named `name` of `kind`, once the cache holds it with `ready` true. */
async function cached<T extends KubeObject>(
  cache: InformerCache,
  kind: typeof ConfigMap | typeof Secret,
  name: string,
  ready: (object: KubeObject) => boolean = () => true,
): Promise<T> {
  const informer = cache.informerFor(kind);
  let found: KubeObject | undefined;
  await eventually(() => {
    found = informer.get({ namespace, name });
    return found !== undefined && ready(found);
  }, `${kind.kind} ${name} is cached`);
  return found as T;
}

const dropData = <T extends KubeObject>(object: T): T => {
  delete (object as { data?: unknown }).data;
  (object.metadata ??= {}).annotations = { ...object.metadata.annotations, transformed: 'yes' };
  return object;
};

describe('cache transforms', () => {
  it('strips managedFields by default, from listed and from watched objects', async () => {
    await direct.create(ConfigMap, { metadata: { name: 'listed', namespace }, data: { k: 'v' } });
    const cache = newCache(direct, { namespace });
    cache.informerFor(ConfigMap);
    void cache.start(stop.signal);
    expect(await cache.waitForCacheSync(stop.signal)).toBe(true);
    await direct.create(ConfigMap, { metadata: { name: 'watched', namespace }, data: { k: 'v' } });
    for (const name of ['listed', 'watched']) {
      const object = await cached<KubeObject & { data?: unknown }>(cache, ConfigMap, name);
      expect(object.metadata?.managedFields).toBeUndefined();
      expect(object.data).toEqual({ k: 'v' });
    }
    expect((await direct.get(ConfigMap, { namespace, name: 'watched' }))?.metadata?.managedFields).not.toHaveLength(0);
  });

  it('applies the cache-wide transform to every kind and a byObject transform instead of it for its kind', async () => {
    await direct.create(ConfigMap, { metadata: { name: 'cm', namespace }, data: { k: 'v' } });
    await direct.create(Secret, { metadata: { name: 'secret', namespace }, stringData: { k: 'v' } });
    const keepWhole = <T extends KubeObject>(object: T): T => object;
    const cache = newCache(direct, {
      namespace,
      transform: dropData,
      byObject: [{ kind: Secret, transform: keepWhole }],
    });
    cache.informerFor(ConfigMap);
    cache.informerFor(Secret);
    void cache.start(stop.signal);
    expect(await cache.waitForCacheSync(stop.signal)).toBe(true);

    const listed = await cached<KubeObject & { data?: unknown }>(cache, ConfigMap, 'cm');
    expect(listed.data).toBeUndefined();
    expect(listed.metadata?.annotations).toEqual({ transformed: 'yes' });
    // A custom transform replaces the default: managedFields stay unless it drops them.
    expect(listed.metadata?.managedFields).not.toHaveLength(0);

    await direct.patch(ConfigMap, { namespace, name: 'cm' }, { type: 'merge', body: { data: { k: 'w' } } });
    const watched = await cached<KubeObject & { data?: unknown }>(
      cache,
      ConfigMap,
      'cm',
      (o) => o.metadata?.resourceVersion !== listed.metadata?.resourceVersion,
    );
    expect(watched.data).toBeUndefined();
    expect(watched.metadata?.annotations).toEqual({ transformed: 'yes' });

    const secret = await cached<KubeObject & { data?: Record<string, string> }>(cache, Secret, 'secret');
    expect(secret.data).toEqual({ k: Buffer.from('v').toString('base64') });
    expect(secret.metadata?.annotations).toBeUndefined();
    expect(secret.metadata?.managedFields).not.toHaveLength(0);
  });
});
