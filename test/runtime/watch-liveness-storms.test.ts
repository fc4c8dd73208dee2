/**
 * The runtime under storms, through the fault proxy in front of the shared apiserver, judged by
 * request counts and reconciles rather than time: a 429 storm is waited out at the apiserver's
 * Retry-After (no tight relist loop), status writes answered 409 converge, and a 30 s partition
 * heals with only the objects that changed meanwhile reconciled again.
 */
import { describe, expect, it } from 'vitest';
import { ConfigMap, controllerFor, Result } from '../../src/runtime/index.js';
import { SharedInformer } from '../../src/runtime/cache/index.js';
import { startManager, until } from './harness.js';
import { useFaultProxy } from './watch-liveness-harness.js';
import { installWidgetCrd, WidgetKind } from './widget-kind.js';

const faults = useFaultProxy({ seed: 21, setup: installWidgetCrd });

describe('a 429 storm', () => {
  it('is waited out at Retry-After: no two throttled requests closer than it, then the cache catches up', async () => {
    const namespace = await faults.freshNamespace('storm-429');
    await faults.direct.create(ConfigMap, { metadata: { name: 'before', namespace } });
    // No transport retries: every 429 reaches the watcher, whose own backoff starts at 0.8 s.
    const client = faults.proxiedClient({ maxRetries: 0, qps: 20 });
    const informer = new SharedInformer(client, ConfigMap, { namespace });
    faults.running(informer);
    await until('synced', () => informer.hasSynced());

    const storm = faults.proxy.faults.fail({
      status: 429,
      retryAfterSeconds: 2,
      verbs: ['list', 'watch'],
      resources: 'configmaps',
      namespace,
    });
    // Synced means listed; the watch that follows may not be open yet: expire it once it is.
    await until(
      'the informer watch to be open and expired',
      () => faults.proxy.faults.expireWatches({ namespace }) === 1,
    );
    await faults.direct.create(ConfigMap, { metadata: { name: 'during', namespace } });
    await until('five throttled requests', () => storm.hits >= 5, 60_000);
    const throttled = faults.proxy.faults.requests({ namespace }).filter((r) => r.status === 429);
    const gaps = throttled.slice(1).map((r, i) => r.at - throttled[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1950);

    storm.remove();
    await until('the cache caught up', () => faults.cacheMatchesServer(() => informer.list(), namespace), 60_000);
    expect(informer.get({ namespace, name: 'during' })).toBeDefined();
  });
});

describe('409 Conflict on status writes', () => {
  it('converges: every Widget gets its status despite a seeded half of the writes conflicting', async () => {
    const namespace = await faults.freshNamespace('storm-409');
    const names = ['w0', 'w1', 'w2', 'w3', 'w4'];
    await Promise.all(
      names.map((name, i) => faults.direct.create(WidgetKind, { metadata: { name, namespace }, spec: { size: i } })),
    );
    const conflicts = faults.proxy.faults.fail({
      status: 409,
      verbs: ['update', 'patch'],
      resources: 'widgets/status',
      namespace,
      rate: 0.5,
    });
    const manager = await startManager(
      (mgr) => {
        controllerFor(mgr, WidgetKind).complete({
          async reconcile(request) {
            const widget = await mgr.client.get(WidgetKind, request);
            if (!widget || widget.status?.observedSize === widget.spec?.size) return Result.done();
            await mgr.client.status().patch(WidgetKind, request, {
              type: 'merge',
              body: { status: { observedSize: widget.spec?.size } },
            });
            return Result.done();
          },
        });
      },
      { restConfig: faults.proxy.restConfig, namespace },
    );
    faults.onCleanup(() => manager.stop());
    const converged = async () => {
      const widgets = await faults.direct.list(WidgetKind, { namespace });
      return widgets.length === names.length && widgets.every((w) => w.status?.observedSize === w.spec?.size);
    };
    await until('every status converged', converged, 60_000);
    expect(conflicts.hits).toBeGreaterThan(0);
    expect(faults.proxy.faults.count({ resources: 'widgets/status', namespace })).toBe(names.length + conflicts.hits);
  });
});

describe('a 30 s partition', () => {
  it('heals with only the objects changed meanwhile reconciled again', async () => {
    const namespace = await faults.freshNamespace('storm-partition');
    const names = Array.from({ length: 10 }, (_, i) => `cm-${i}`);
    await Promise.all(
      names.map((name) => faults.direct.create(ConfigMap, { metadata: { name, namespace }, data: { v: '0' } })),
    );
    const seen = new Map<string, string[]>();
    const manager = await startManager(
      (mgr) => {
        controllerFor(mgr, ConfigMap).complete({
          async reconcile(request) {
            const cm = await mgr.client.get(ConfigMap, request);
            seen.set(request.name, [...(seen.get(request.name) ?? []), cm?.data?.v ?? 'gone']);
            return Result.done();
          },
        });
      },
      { restConfig: faults.proxy.restConfig, namespace },
    );
    faults.onCleanup(() => manager.stop());
    await until('all reconciled once', () => names.every((name) => seen.has(name)));
    const partition = faults.proxy.faults.partition({ durationMs: 30_000 });
    for (const name of ['cm-2', 'cm-5', 'cm-7'])
      await faults.direct.patch(ConfigMap, { namespace, name }, { type: 'merge', body: { data: { v: '1' } } });
    await partition.healed;
    await until(
      'the changes reconciled',
      () => ['cm-2', 'cm-5', 'cm-7'].every((name) => seen.get(name)?.at(-1) === '1'),
      120_000,
    );

    // A later change, reconciled after anything the heal could have queued.
    await faults.direct.patch(
      ConfigMap,
      { namespace, name: 'cm-9' },
      { type: 'merge', body: { data: { v: 'sentinel' } } },
    );
    await until('the sentinel reconciled', () => seen.get('cm-9')?.at(-1) === 'sentinel', 60_000);
    for (const name of names.filter((n) => !['cm-2', 'cm-5', 'cm-7', 'cm-9'].includes(n)))
      expect(seen.get(name), name).toEqual(['0']);
    for (const name of ['cm-2', 'cm-5', 'cm-7']) expect(seen.get(name), name).toEqual(['0', '1']);
  });
});
