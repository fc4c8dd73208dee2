/**
 * A watch that cannot go silent, proved through the fault proxy in front of the shared apiserver:
 * a frozen watch is found dead within its liveness window and resumed from its resourceVersion
 * with no event missed; a forced 410 relists without a single update for unchanged objects; the
 * audit finds and repairs the events a silent watch lost (and counts them); /readyz names an
 * informer stuck behind a partition.
 */
import { describe, expect, it } from 'vitest';
import { ConfigMap, controllerFor, Result } from '../../src/runtime/index.js';
import { newCache, SharedInformer, type InformerCache } from '../../src/runtime/cache/index.js';
import { metricsRegistry } from '../../src/runtime/metrics/index.js';
import { startManager, until } from './harness.js';
import { recordingHandler } from './recorder.js';
import { useFaultProxy } from './watch-liveness-harness.js';

const faults = useFaultProxy();
const { proxiedClient, running, freshNamespace, cacheMatchesServer } = faults;

const create = (namespace: string, name: string, v = '0') =>
  faults.direct.create(ConfigMap, { metadata: { name, namespace }, data: { v } });

describe('watch liveness', () => {
  it('finds a frozen watch dead and resumes it from its resourceVersion, missing nothing', async () => {
    const namespace = await freshNamespace('liveness-freeze');
    await create(namespace, 'a');
    const informer = new SharedInformer(proxiedClient(), ConfigMap, { namespace, idleTimeoutMs: 2000 });
    const recorder = recordingHandler();
    informer.addEventHandler(recorder.handler);
    running(informer);
    await until('the informer synced', () => informer.hasSynced());

    faults.proxy.faults.freezeWatches({ namespace, resources: 'configmaps', times: 1 });
    await until('the open watch froze', () =>
      faults.proxy.faults.requests({ verbs: 'watch', namespace }).some((r) => r.fault === 'freeze'),
    );
    const frozenFrom = Number(
      faults.proxy.faults.requests({ verbs: 'watch', namespace })[0].query.get('resourceVersion'),
    );
    await create(namespace, 'b');
    await faults.direct.patch(ConfigMap, { namespace, name: 'a' }, { type: 'merge', body: { data: { v: '1' } } });
    await faults.direct.delete(ConfigMap, { namespace, name: 'b' });
    await create(namespace, 'c');

    await until(
      'the cache matches the server',
      () => cacheMatchesServer(() => informer.list({ namespace }), namespace),
      60_000,
    );
    expect(informer.stats.stalls).toBeGreaterThanOrEqual(1);
    expect(informer.stats.lists).toBe(1);
    // The first list only: the dead watch was resumed, not relisted.
    expect(faults.proxy.faults.count({ verbs: 'list', namespace })).toBe(1);
    const resumedFrom = faults.proxy.faults
      .requests({ verbs: 'watch', namespace })
      .slice(1)
      .map((r) => Number(r.query.get('resourceVersion')));
    expect(Math.min(...resumedFrom)).toBeGreaterThanOrEqual(frozenFrom);
    expect(recorder.events.filter((e) => e.type !== 'initial-add').map((e) => `${e.type} ${e.name}`)).toEqual([
      'add b',
      'update a',
      'delete b',
      'add c',
    ]);
  });

  it('relists on a forced 410 without an update for any unchanged object', async () => {
    const namespace = await freshNamespace('liveness-gone');
    await Promise.all(Array.from({ length: 5 }, (_, i) => create(namespace, `cm-${i}`)));
    const reconciled = new Map<string, number>();
    const manager = await startManager(
      (mgr) => {
        controllerFor(mgr, ConfigMap).complete({
          async reconcile(request) {
            reconciled.set(request.name, (reconciled.get(request.name) ?? 0) + 1);
            return Result.done();
          },
        });
      },
      { restConfig: faults.proxy.restConfig, namespace },
    );
    faults.onCleanup(() => manager.stop());
    // The manager's cache is an InformerCache; its interface shows only part of it.
    const informer = (manager.mgr.cache as InformerCache).informerFor(ConfigMap);
    const recorder = recordingHandler();
    informer.addEventHandler(recorder.handler);
    await until('every object reconciled', () => reconciled.size === 6);
    // The handlers may run before the watch that follows the list is open.
    await until('the informer watches', () => informer.stats.watches === 1);

    expect(faults.proxy.faults.expireWatches({ namespace, resources: 'configmaps' })).toBe(1);
    await until('the informer relisted', () => informer.stats.lists === 2);
    expect(faults.proxy.faults.count({ verbs: 'list', namespace })).toBe(2);
    expect(recorder.of('update')).toEqual([]);
    await faults.direct.patch(ConfigMap, { namespace, name: 'cm-3' }, { type: 'merge', body: { data: { v: '1' } } });
    await until('the change was reconciled', () => (reconciled.get('cm-3') ?? 0) >= 2);
    expect(Object.fromEntries(reconciled)).toEqual({
      'cm-0': 1,
      'cm-1': 1,
      'cm-2': 1,
      'cm-3': 2,
      'cm-4': 1,
      'kube-root-ca.crt': 1,
    });
  });
});

describe('cache audit', () => {
  it('finds the events a silent watch lost, repairs the cache and counts them', async () => {
    const namespace = await freshNamespace('liveness-audit');
    await create(namespace, 'kept');
    await create(namespace, 'updated');
    await create(namespace, 'deleted');
    // Liveness off: only the audit can notice.
    const cache = newCache(proxiedClient(), { namespace, watcher: { idleTimeoutMs: 0 } });
    const informer = cache.informerFor(ConfigMap);
    const recorder = recordingHandler();
    informer.addEventHandler(recorder.handler);
    running(cache);
    await until('the cache synced', () => cache.hasSynced());

    const clean = await cache.audit({ graceMs: 200 });
    expect(clean).toMatchObject({ total: 0, audited: ['ConfigMap/v1'] });
    expect(informer.stats.lists).toBe(1);

    faults.proxy.faults.freezeWatches({ namespace, resources: 'configmaps', times: 1 });
    await until('the open watch froze', () =>
      faults.proxy.faults.requests({ verbs: 'watch', namespace }).some((r) => r.fault === 'freeze'),
    );
    await create(namespace, 'added');
    await faults.direct.patch(ConfigMap, { namespace, name: 'updated' }, { type: 'merge', body: { data: { v: '1' } } });
    await faults.direct.delete(ConfigMap, { namespace, name: 'deleted' });
    const missedBefore = await missedMetric('add');

    const report = await cache.audit({ graceMs: 500 });
    expect(report.missed['ConfigMap/v1']).toEqual({ added: 1, updated: 1, deleted: 1 });
    expect(report.total).toBe(3);
    expect(await cacheMatchesServer(() => informer.list({ namespace }), namespace)).toBe(true);
    expect(
      recorder.events
        .filter((e) => e.type !== 'initial-add')
        .map((e) => `${e.type} ${e.name}`)
        .sort(),
    ).toEqual(['add added', 'delete deleted', 'update updated']);
    expect(await missedMetric('add')).toBe(missedBefore + 1);
  });

  it('audits by itself every everyMs when the cache is configured so, and repairs what a silent watch lost', async () => {
    const namespace = await freshNamespace('liveness-audit-every');
    const cache = newCache(proxiedClient(), {
      namespace,
      watcher: { idleTimeoutMs: 0 },
      audit: { everyMs: 300, graceMs: 200 },
    });
    const informer = cache.informerFor(ConfigMap);
    running(cache);
    await until('the cache synced', () => cache.hasSynced());
    faults.proxy.faults.freezeWatches({ namespace, resources: 'configmaps', times: 1 });
    await until('the open watch froze', () =>
      faults.proxy.faults.requests({ verbs: 'watch', namespace }).some((r) => r.fault === 'freeze'),
    );
    await create(namespace, 'found-by-audit');
    await until(
      'the audit brought it in',
      () => informer.get({ namespace, name: 'found-by-audit' }) !== undefined,
      30_000,
    );
    expect(informer.stats.stalls).toBe(0);
    expect(informer.stats.lists).toBe(2);
  });
});

async function missedMetric(type: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('kubeforge_cache_missed_events_total')?.get();
  return metric?.values.find((v) => v.labels.kind === 'ConfigMap/v1' && v.labels.type === type)?.value ?? 0;
}

describe('/readyz', () => {
  it('names an informer that heard nothing from the apiserver beyond its limit, and recovers', async () => {
    const namespace = await freshNamespace('liveness-readyz');
    const manager = await startManager(() => {}, {
      restConfig: faults.proxy.restConfig,
      namespace,
      healthProbeBindAddress: '127.0.0.1:0',
      cache: { watcher: { idleTimeoutMs: 1000, stuckAfterMs: 3000, backoff: { maxMs: 500 } } },
    });
    faults.onCleanup(() => manager.stop());
    const { mgr } = manager;
    mgr.cache.informerFor(ConfigMap);
    const { healthProbe } = await mgr.serving();
    const readyz = async () => {
      const response = await fetch(`${healthProbe}/readyz?verbose`);
      return { status: response.status, body: await response.text() };
    };
    await until('ready', async () => (await readyz()).status === 200);

    const partition = faults.proxy.faults.partition({ mode: 'reset' });
    await until('not ready', async () => (await readyz()).status === 500, 30_000);
    expect((await readyz()).body).toMatch(
      /\[-\]informers failed: informers stuck: ConfigMap\/v1 in liveness-readyz-\w+: nothing from the apiserver for \d+ s/,
    );
    partition.remove();
    await until('ready again', async () => (await readyz()).status === 200, 30_000);
  });
});
