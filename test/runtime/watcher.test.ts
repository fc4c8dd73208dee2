import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMap, newClient, type DirectClient } from '../../src/runtime/index.js';
import { SharedInformer } from '../../src/runtime/cache/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { eventually, recordingHandler } from './recorder.js';

let client: DirectClient;
const stops: AbortController[] = [];

beforeAll(() => {
  client = newClient(testRestConfig());
});
afterEach(() => {
  for (const stop of stops.splice(0)) stop.abort();
});
afterAll(() => client?.close());

function run<T extends object>(informer: SharedInformer<T & { metadata?: object }>): AbortSignal {
  const stop = new AbortController();
  stops.push(stop);
  void informer.start(stop.signal);
  return stop.signal;
}

/** The objects these tests make carry this label; informers select it, so kube-root-ca.crt stays out. */
const labels = { test: 'watcher' };
const selected = { labelSelector: 'test=watcher' };

async function createConfigMaps(namespace: string, names: string[]): Promise<void> {
  await Promise.all(
    names.map((name) => client.create(ConfigMap, { metadata: { name, namespace, labels }, data: { v: '0' } })),
  );
}

describe('watcher and informer against the apiserver', () => {
  it('lists in pages, then delivers adds, updates and deletes in order', async () => {
    const namespace = await createTestNamespace('watch');
    await createConfigMaps(
      namespace,
      Array.from({ length: 25 }, (_, i) => `initial-${i}`),
    );
    const informer = new SharedInformer(client, ConfigMap, { namespace, pageSize: 10, ...selected });
    const recorder = recordingHandler();
    informer.addEventHandler(recorder.handler);
    const signal = run(informer);
    expect(await informer.waitForSync(signal)).toBe(true);
    expect(recorder.of('initial-add')).toHaveLength(25);
    expect(informer.list({ namespace })).toHaveLength(25);

    await client.create(ConfigMap, { metadata: { name: 'later', namespace, labels }, data: { v: '1' } });
    await client.patch(ConfigMap, { namespace, name: 'later' }, { type: 'merge', body: { data: { v: '2' } } });
    await client.delete(ConfigMap, { namespace, name: 'later' });
    await eventually(() => recorder.events.length === 28, 'three more events arrive');
    expect(recorder.events.slice(25).map((e) => `${e.type} ${e.name}`)).toEqual([
      'add later',
      'update later',
      'delete later',
    ]);
    expect(informer.get({ namespace, name: 'later' })).toBeUndefined();
    expect(informer.stats).toMatchObject({ lists: 1, errors: 0 });
  });

  it('delivers each of 500 rapid updates of one object once and in order, and caches the final state', async () => {
    const namespace = await createTestNamespace('rapid');
    await createConfigMaps(namespace, ['hot']);
    const informer = new SharedInformer(client, ConfigMap, { namespace, ...selected });
    const recorder = recordingHandler();
    informer.addEventHandler(recorder.handler);
    await informer.waitForSync(run(informer));

    const versions: string[] = [];
    for (let i = 1; i <= 500; i++) {
      const updated = await client.patch(
        ConfigMap,
        { namespace, name: 'hot' },
        { type: 'merge', body: { data: { v: String(i) } } },
      );
      versions.push(updated.metadata!.resourceVersion!);
    }
    await eventually(
      () => informer.get({ namespace, name: 'hot' })?.metadata?.resourceVersion === versions.at(-1),
      'the last update is cached',
    );
    expect(informer.get({ namespace, name: 'hot' })?.data).toEqual({ v: '500' });
    expect(recorder.of('add')).toEqual([]);
    expect(recorder.of('initial-add')).toEqual(['hot']);
    expect(recorder.events.filter((e) => e.type === 'update').map((e) => e.resourceVersion)).toEqual(versions);
    expect(informer.stats.lists).toBe(1);
  });

  it('restarts a watch the server ended normally at once, from the last resourceVersion, without relisting', async () => {
    const namespace = await createTestNamespace('timeout');
    const informer = new SharedInformer(client, ConfigMap, { namespace, timeoutSeconds: 1, ...selected });
    const recorder = recordingHandler();
    informer.addEventHandler(recorder.handler);
    await informer.waitForSync(run(informer));
    for (let i = 0; i < 4; i++) {
      const watches = informer.stats.watches;
      await client.create(ConfigMap, { metadata: { name: `tick-${i}`, namespace, labels } });
      await eventually(() => informer.stats.watches > watches, 'the server ends the watch and it restarts');
    }
    await eventually(() => recorder.of('add').length === 4, 'all four adds arrive');
    expect(recorder.of('add')).toEqual(['tick-0', 'tick-1', 'tick-2', 'tick-3']);
    expect(recorder.of('update')).toEqual([]); // a restart from an older resourceVersion replays what was seen
    expect(informer.stats.watches).toBeGreaterThanOrEqual(2);
    expect(informer.stats).toMatchObject({ lists: 1, errors: 0 });
  });

  it('strips managedFields before caching, and caches metadata only when asked', async () => {
    const namespace = await createTestNamespace('meta');
    await client.create(ConfigMap, {
      metadata: { name: 'big', namespace, labels: { a: 'b', ...labels } },
      data: { payload: 'x'.repeat(1000) },
    });
    const full = new SharedInformer(client, ConfigMap, { namespace, ...selected });
    const metadataOnly = new SharedInformer(client, ConfigMap, { namespace, metadataOnly: true });
    await full.waitForSync(run(full));
    await metadataOnly.waitForSync(run(metadataOnly));
    expect(full.get({ namespace, name: 'big' })?.metadata?.managedFields).toBeUndefined();
    expect(full.get({ namespace, name: 'big' })?.data?.payload).toHaveLength(1000);
    const partial = metadataOnly.get({ namespace, name: 'big' });
    expect(partial?.data).toBeUndefined();
    expect(partial).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big', labels: { a: 'b', ...labels } },
    });

    await client.patch(
      ConfigMap,
      { namespace, name: 'big' },
      { type: 'merge', body: { metadata: { labels: { a: 'c' } } } },
    );
    await eventually(
      () => metadataOnly.get({ namespace, name: 'big' })?.metadata?.labels?.a === 'c',
      'the metadata watch sees the label change',
    );
    expect(metadataOnly.get({ namespace, name: 'big' })?.kind).toBe('ConfigMap');
  });

  it('replays the stored objects to a handler added after sync', async () => {
    const namespace = await createTestNamespace('late');
    await createConfigMaps(namespace, ['a', 'b']);
    const informer = new SharedInformer(client, ConfigMap, { namespace, ...selected });
    await informer.waitForSync(run(informer));
    const recorder = recordingHandler();
    const remove = informer.addEventHandler(recorder.handler);
    expect(recorder.of('initial-add').sort()).toEqual(['a', 'b']);
    remove();
    await client.create(ConfigMap, { metadata: { name: 'c', namespace, labels } });
    await eventually(() => informer.get({ namespace, name: 'c' }) !== undefined, 'c is cached');
    expect(recorder.events).toHaveLength(2);
  });
});
