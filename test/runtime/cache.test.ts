import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMap, defineKind, newClient, Secret, type Client, type DirectClient } from '../../src/runtime/index.js';
import { cachedClient, newCache, OWNER_UID_INDEX, type InformerCache } from '../../src/runtime/cache/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { manyBuiltInKinds, recordListenerWarnings } from './many-kinds.js';
import { eventually } from './recorder.js';

let direct: DirectClient;
let namespace: string;
let other: string;
const stop = new AbortController();

beforeAll(async () => {
  direct = newClient(testRestConfig());
  namespace = await createTestNamespace('cache');
  other = await createTestNamespace('cache-other');
});

afterAll(() => {
  stop.abort();
  direct?.close();
});

function capturingLogger(): { logger: Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino<never>({ level: 'info' }, sink), lines };
}

function started(cache: InformerCache): Client {
  void cache.start(stop.signal);
  return cachedClient(cache, direct);
}

describe('informer cache and cached client', () => {
  it('starts an informer on the first cached read and serves later reads from memory', async () => {
    await direct.create(ConfigMap, { metadata: { name: 'settings', namespace }, data: { mode: 'a' } });
    const cache = newCache(direct, { namespace });
    const client = started(cache);
    expect(cache.hasInformerFor(ConfigMap)).toBe(false);
    expect((await client.get(ConfigMap, { namespace, name: 'settings' }))?.data).toEqual({ mode: 'a' });
    expect(cache.hasInformerFor(ConfigMap)).toBe(true);
    expect(await client.get(ConfigMap, { namespace, name: 'absent' })).toBeUndefined();

    await client.patch(ConfigMap, { namespace, name: 'settings' }, { type: 'merge', body: { data: { mode: 'b' } } });
    await eventually(
      async () => (await client.get(ConfigMap, { namespace, name: 'settings' }))?.data?.mode === 'b',
      'the write is cached',
    );
    expect(await cache.waitForCacheSync(stop.signal)).toBe(true);
  });

  it('returns copies, so changing a read object leaves the cache intact', async () => {
    await direct.create(ConfigMap, { metadata: { name: 'copy', namespace }, data: { v: 'original' } });
    const cache = newCache(direct, { namespace });
    const client = started(cache);
    const read = await client.get(ConfigMap, { namespace, name: 'copy' });
    read!.data!.v = 'mutated';
    expect((await client.get(ConfigMap, { namespace, name: 'copy' }))?.data?.v).toBe('original');
    const [listed] = await client.list(ConfigMap, { namespace, fieldSelector: 'metadata.name=copy' });
    listed.data!.v = 'mutated';
    expect(cache.informerFor(ConfigMap).get({ namespace, name: 'copy' })?.data?.v).toBe('original');
  });

  it('filters cached lists by label selector and metadata field selectors, and rejects other field selectors', async () => {
    for (const [name, tier] of [
      ['web-1', 'web'],
      ['web-2', 'web'],
      ['db-1', 'db'],
    ]) {
      await direct.create(ConfigMap, { metadata: { name, namespace, labels: { tier } } });
    }
    const client = started(newCache(direct, { namespace }));
    const names = async (options: object) =>
      (await client.list(ConfigMap, { namespace, ...options })).map((c) => c.metadata?.name).sort();
    expect(await names({ labelSelector: 'tier=web' })).toEqual(['web-1', 'web-2']);
    expect(await names({ labelSelector: 'tier in (web,db),tier!=web' })).toEqual(['db-1']);
    expect(await names({ labelSelector: 'tier', fieldSelector: 'metadata.name!=web-1' })).toEqual(['db-1', 'web-2']);
    await expect(client.list(ConfigMap, { namespace, fieldSelector: 'data.x=y' })).rejects.toThrow(
      'cached lists support field selectors on metadata.name and metadata.namespace only, not "data.x=y"',
    );
  });

  it('caches only the namespace it is restricted to and says so when asked for another', async () => {
    await direct.create(ConfigMap, { metadata: { name: 'elsewhere', namespace: other } });
    const client = started(newCache(direct, { namespace }));
    await expect(client.get(ConfigMap, { namespace: other, name: 'elsewhere' })).rejects.toThrow(
      `the cache holds ConfigMap of namespace ${namespace} only, not of ${other}`,
    );
    expect((await client.list(ConfigMap)).every((c) => c.metadata?.namespace === namespace)).toBe(true);
    await expect(client.get(ConfigMap, { name: 'elsewhere' })).rejects.toThrow(
      'ConfigMap is namespaced, so a namespace is required',
    );
  });

  it('applies per-kind label selectors and namespaces from byObject', async () => {
    await direct.create(ConfigMap, { metadata: { name: 'picked', namespace: other, labels: { pick: 'yes' } } });
    await direct.create(ConfigMap, { metadata: { name: 'skipped', namespace: other } });
    const client = started(
      newCache(direct, { namespace, byObject: [{ kind: ConfigMap, namespace: other, labelSelector: 'pick=yes' }] }),
    );
    expect((await client.list(ConfigMap, { namespace: other })).map((c) => c.metadata?.name)).toEqual(['picked']);
    expect(await client.get(ConfigMap, { namespace: other, name: 'skipped' })).toBeUndefined();
  });

  it('caches metadata only for the kinds listed in metadataOnly', async () => {
    await direct.create(Secret, { metadata: { name: 'token', namespace }, stringData: { key: 'secret-value' } });
    const client = started(newCache(direct, { namespace, metadataOnly: [Secret] }));
    const secret = await client.get(Secret, { namespace, name: 'token' });
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' } });
    expect(secret?.data).toBeUndefined();
  });

  it('warns when a cached read would start a cluster-wide informer on Secrets', async () => {
    const { logger, lines } = capturingLogger();
    const client = started(newCache(direct, { logger }));
    await client.list(Secret, { namespace });
    expect(lines.find((l) => l.level === 40)?.msg).toContain(
      'a cached read of Secret starts an informer over every Secret in the cluster',
    );

    const scoped = capturingLogger();
    const scopedClient = started(
      newCache(direct, { logger: scoped.logger, byObject: [{ kind: Secret, labelSelector: 'app=mine' }] }),
    );
    await scopedClient.list(Secret, { namespace });
    expect(scoped.lines.filter((l) => l.level === 40)).toEqual([]);
  });

  it('fails a cached read of a kind the apiserver does not serve instead of waiting for it', async () => {
    const client = started(newCache(direct, { namespace }));
    const Missing = defineKind({
      group: 'missing.kubeforge.io',
      version: 'v1',
      kind: 'Ghost',
      plural: 'ghosts',
      namespaced: true,
    });
    await expect(client.get(Missing, { namespace, name: 'x' })).rejects.toThrow(
      'no kind Ghost is served in missing.kubeforge.io/v1',
    );
  });

  it('refuses cached reads before the cache runs', async () => {
    const client = cachedClient(newCache(direct, { namespace }), direct);
    await expect(client.get(ConfigMap, { namespace, name: 'x' })).rejects.toThrow('the cache is not running');
  });

  it('finds dependents through the owner UID index', async () => {
    const owner = await direct.create(ConfigMap, { metadata: { name: 'owner', namespace } });
    const ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid!, controller: true },
    ];
    await direct.create(ConfigMap, { metadata: { name: 'child', namespace, ownerReferences } });
    const cache = newCache(direct, { namespace });
    const client = started(cache);
    await client.list(ConfigMap, { namespace });
    const children = cache.informerFor(ConfigMap).byIndex(OWNER_UID_INDEX, owner.metadata!.uid!);
    expect(children.map((c) => c.metadata?.name)).toEqual(['child']);
  });

  it('runs informers for many kinds on one caller signal without a MaxListenersExceededWarning', async () => {
    const recorder = recordListenerWarnings();
    const own = new AbortController();
    try {
      const cache = newCache(direct, { namespace });
      for (const kind of manyBuiltInKinds) cache.informerFor(kind);
      void cache.start(own.signal);
      expect(await cache.waitForCacheSync(own.signal)).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(recorder.warnings).toEqual([]);
    } finally {
      own.abort();
      recorder.stop();
    }
  });

  it('reports not synced when stopped before the first list completes', async () => {
    const cache = newCache(direct, { namespace });
    cache.informerFor(ConfigMap);
    const aborted = AbortSignal.abort();
    expect(await cache.waitForCacheSync(aborted)).toBe(false);
  });
});
