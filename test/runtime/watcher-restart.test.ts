/**
 * The watcher's hard cases on a control plane of its own: the apiserver stopped and restarted
 * mid-watch, a partition during which objects change and etcd is compacted (410 Gone → relist),
 * a silent (dead) stream, and a watch from a compacted resourceVersion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, startFaultProxy, type ControlPlane } from '../../src/envtest/index.js';
import {
  ConfigMap,
  isGone,
  Namespace,
  newClient,
  type DirectClient,
  type KubeObject,
} from '../../src/runtime/index.js';
import { SharedInformer } from '../../src/runtime/cache/index.js';
import { compactEtcd } from './etcd.js';
import { eventually, recordingHandler } from './recorder.js';

let plane: ControlPlane;
let direct: DirectClient;
const stop = new AbortController();

beforeAll(async () => {
  plane = await startControlPlane();
  direct = newClient(plane.restConfig);
});

afterAll(async () => {
  stop.abort();
  direct?.close();
  await plane?.stop();
});

async function namespaceWith(name: string, count: number): Promise<void> {
  await direct.create(Namespace, { metadata: { name } });
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      direct.create(ConfigMap, { metadata: { name: `cm-${i}`, namespace: name }, data: { v: '0' } }),
    ),
  );
}

/** name@resourceVersion of every object, sorted: equal lists mean the cache holds exactly what the server does. */
function versions(objects: KubeObject[]): string[] {
  return objects.map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();
}

async function cacheMatchesServer(informer: SharedInformer<KubeObject>, namespace: string): Promise<boolean> {
  const server = versions(await direct.list(ConfigMap, { namespace }));
  return JSON.stringify(versions(informer.list({ namespace }))) === JSON.stringify(server);
}

describe('watcher across apiserver outages', () => {
  it('reconnects after the apiserver restarts mid-watch and loses nothing', async () => {
    const namespace = 'restart';
    await namespaceWith(namespace, 10);
    const watching = newClient(plane.restConfig);
    const informer = new SharedInformer(watching, ConfigMap, { namespace });
    const recorder = recordingHandler();
    informer.addEventHandler(recorder.handler);
    void informer.start(stop.signal);
    await informer.waitForSync(stop.signal);

    await plane.stopApiServer();
    await eventually(() => informer.stats.errors > 0, 'the watcher notices the apiserver is gone');
    await plane.startApiServer();
    for (let i = 10; i < 15; i++) await direct.create(ConfigMap, { metadata: { name: `cm-${i}`, namespace } });
    await direct.patch(ConfigMap, { namespace, name: 'cm-0' }, { type: 'merge', body: { data: { v: '1' } } });
    await direct.delete(ConfigMap, { namespace, name: 'cm-1' });

    await eventually(() => cacheMatchesServer(informer, namespace), 'the cache matches the apiserver', 60_000);
    expect(recorder.of('initial-add')).toHaveLength(10);
    expect(recorder.of('add').sort()).toEqual(['cm-10', 'cm-11', 'cm-12', 'cm-13', 'cm-14']);
    expect(recorder.of('delete')).toEqual(['cm-1']);
    expect(recorder.of('update')).toContain('cm-0');
    watching.close();
  });

  it('relists after 410 Gone, synthesising deletes for vanished objects and no duplicate adds', async () => {
    const namespace = 'gone';
    await namespaceWith(namespace, 20);
    const proxy = await startFaultProxy({ upstream: plane.restConfig });
    const watching = newClient(proxy.restConfig);
    const errors: unknown[] = [];
    const informer = new SharedInformer(watching, ConfigMap, { namespace, onError: (e) => errors.push(e) });
    const recorder = recordingHandler();
    informer.addEventHandler(recorder.handler);
    void informer.start(stop.signal);
    await informer.waitForSync(stop.signal);

    const partition = proxy.faults.partition({ mode: 'reset' });
    for (let i = 0; i < 5; i++) await direct.delete(ConfigMap, { namespace, name: `cm-${i}` });
    for (const name of ['new-a', 'new-b', 'new-c']) await direct.create(ConfigMap, { metadata: { name, namespace } });
    for (const name of ['cm-10', 'cm-11']) {
      await direct.patch(ConfigMap, { namespace, name }, { type: 'merge', body: { data: { v: 'changed' } } });
    }
    await compactEtcd(plane);
    // A fresh apiserver has an empty watch cache, so the old resourceVersion must come from etcd, which compacted it.
    await plane.stopApiServer();
    await plane.startApiServer();
    partition.remove();

    await eventually(() => cacheMatchesServer(informer, namespace), 'the cache matches the apiserver', 60_000);
    expect(errors.some(isGone)).toBe(true);
    expect(informer.stats.lists).toBe(2);
    expect(recorder.of('initial-add')).toHaveLength(20);
    expect(recorder.of('add').sort()).toEqual(['new-a', 'new-b', 'new-c']);
    expect(recorder.of('delete').sort()).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
    expect(recorder.of('update').sort()).toEqual(['cm-10', 'cm-11']);
    watching.close();
    await proxy.close();
  });

  it('reconnects when a watch stream goes silent past the idle timeout, and resumes without loss', async () => {
    const namespace = 'silent';
    await namespaceWith(namespace, 3);
    const proxy = await startFaultProxy({ upstream: plane.restConfig });
    const watching = newClient(proxy.restConfig);
    const errors: unknown[] = [];
    const informer = new SharedInformer(watching, ConfigMap, {
      namespace,
      timeoutSeconds: 120,
      idleTimeoutMs: 1500,
      onError: (e) => errors.push(e),
    });
    const recorder = recordingHandler();
    informer.addEventHandler(recorder.handler);
    void informer.start(stop.signal);
    await informer.waitForSync(stop.signal);
    await eventually(() => informer.stats.watches === 1, 'the watch is established');

    proxy.faults.freezeWatches({ namespace, resources: 'configmaps', times: 1 });
    await direct.create(ConfigMap, { metadata: { name: 'during-silence', namespace } });
    await direct.delete(ConfigMap, { namespace, name: 'cm-0' });
    await eventually(() => cacheMatchesServer(informer, namespace), 'the cache matches the apiserver', 30_000);
    expect(errors.map((e) => (e as Error).name)).toContain('WatchIdleTimeoutError');
    expect(informer.stats.lists).toBe(1);
    expect(recorder.of('add')).toEqual(['during-silence']);
    expect(recorder.of('delete')).toEqual(['cm-0']);
    watching.close();
    await proxy.close();
  });

  it('reports a watch from a compacted resourceVersion as Gone', async () => {
    await compactEtcd(plane);
    const events = await direct.watch(ConfigMap, { namespace: 'default', resourceVersion: '2', timeoutSeconds: 10 });
    const error = await (async () => {
      for await (const event of events) void event;
    })().catch((e: unknown) => e);
    expect(isGone(error)).toBe(true);
  });
});
