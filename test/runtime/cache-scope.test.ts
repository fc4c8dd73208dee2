/**
 * Cache scope against the real apiserver: several default namespaces (a third is ignored),
 * changing them at run time, default label selectors, the periodic resync (`syncPeriodMs`) and
 * `controller.reconcileAll()`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controllerFor,
  newClient,
  Result,
  type DirectClient,
  type Manager,
  type ManagerOptions,
  type Request,
} from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { startManager, until, type RunningManager } from './harness.js';
import { recordingHandler } from './recorder.js';
import { installWidgetCrd, WidgetKind } from './widget-kind.js';

let client: DirectClient;
const managers: RunningManager[] = [];

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'cache-scope-test' });
  await installWidgetCrd(client);
});

afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  client?.close();
});

const keyOf = (r: Request) => `${r.namespace}/${r.name}`;

/** A manager whose one Widget controller records every request it reconciles. */
async function recordingManager(name: string, options: Partial<ManagerOptions>) {
  const reconciled: string[] = [];
  let controller!: ReturnType<ReturnType<typeof controllerFor>['complete']>;
  const running = await startManager((mgr) => {
    controller = controllerFor(mgr, WidgetKind)
      .named(name)
      .complete({
        async reconcile(request) {
          reconciled.push(keyOf(request));
          return Result.done();
        },
      });
  }, options);
  managers.push(running);
  return { mgr: running.mgr, reconciled, controller };
}

async function widget(namespace: string, name: string, labels?: Record<string, string>) {
  await client.create(WidgetKind, { metadata: { namespace, name, labels }, spec: { size: 1 } });
}

const cachedNames = async (mgr: Manager) =>
  (await mgr.client.list(WidgetKind)).map((w) => `${w.metadata?.namespace}/${w.metadata?.name}`).sort();

describe('cache scope', () => {
  it('caches and reconciles the default namespaces only, ignoring a third', async () => {
    const [a, b, c] = await Promise.all(['scope-a', 'scope-b', 'scope-c'].map((p) => createTestNamespace(p)));
    for (const ns of [a, b, c]) await widget(ns, 'w');
    const { mgr, reconciled } = await recordingManager(`scope-${a}`, { cache: { defaultNamespaces: [a, b] } });
    await until(
      'both cached namespaces reconciled',
      () => reconciled.includes(`${a}/w`) && reconciled.includes(`${b}/w`),
    );
    expect(await cachedNames(mgr)).toEqual([`${a}/w`, `${b}/w`]);
    await expect(mgr.client.get(WidgetKind, { namespace: c, name: 'w' })).rejects.toThrow(
      `the cache holds Widget of namespaces ${a}, ${b} only, not of ${c}`,
    );
    // one watch over all namespaces would deliver c's create before a's later one
    await widget(c, 'later');
    await widget(a, 'later');
    await until('the later object in a cached namespace reconciled', () => reconciled.includes(`${a}/later`));
    expect(reconciled.filter((k) => k.startsWith(`${c}/`))).toEqual([]);
    expect(mgr.cache.defaultNamespaces).toEqual([a, b]);
  });

  it('keeps ManagerOptions.namespace working as one default namespace, and refuses a disagreeing pair', async () => {
    const [a, b] = await Promise.all(['scope-one', 'scope-two'].map((p) => createTestNamespace(p)));
    await widget(a, 'w');
    await widget(b, 'w');
    const { mgr, reconciled } = await recordingManager(`one-${a}`, { namespace: a });
    await until('the namespace reconciled', () => reconciled.includes(`${a}/w`));
    expect(await cachedNames(mgr)).toEqual([`${a}/w`]);
    await expect(
      startManager(() => {}, { namespace: a, cache: { defaultNamespaces: [b] } }).then((m) => m.stop()),
    ).rejects.toThrow(`namespace "${a}" and defaultNamespaces [${b}] disagree`);
  });

  it('changes namespaces at run time: removed ones leave the cache without delete events, added ones arrive as adds', async () => {
    const [a, b] = await Promise.all(['change-a', 'change-b'].map((p) => createTestNamespace(p)));
    await widget(a, 'w');
    await widget(b, 'w');
    const { mgr, reconciled } = await recordingManager(`change-${a}`, { cache: { defaultNamespaces: [a] } });
    await until('the first namespace reconciled', () => reconciled.includes(`${a}/w`));
    const events = recordingHandler();
    mgr.cache.informerFor(WidgetKind).addEventHandler(events.handler);

    await mgr.cache.changeNamespaces([b]);
    expect(await cachedNames(mgr)).toEqual([`${b}/w`]);
    await until('the added namespace reconciled', () => reconciled.includes(`${b}/w`));
    await client.patch(WidgetKind, { namespace: a, name: 'w' }, { type: 'merge', body: { spec: { size: 2 } } });
    await widget(b, 'later');
    await until('a later change in the added namespace is seen', () => events.of('add').includes('later'));
    expect(events.of('delete')).toEqual([]);
    expect(events.events.filter((e) => e.type === 'update')).toEqual([]);
    expect(reconciled.filter((k) => k === `${a}/w`)).toHaveLength(1);

    await mgr.cache.changeNamespaces([a, b]);
    expect(await cachedNames(mgr)).toEqual([`${a}/w`, `${b}/later`, `${b}/w`]);
    expect((await mgr.client.get(WidgetKind, { namespace: a, name: 'w' }))?.spec?.size).toBe(2);
  });

  it('applies defaultLabelSelector and defaultFieldSelector to every kind without its own', async () => {
    const namespace = await createTestNamespace('scope-label');
    await widget(namespace, 'unlabelled');
    await widget(namespace, 'mine', { team: 'a' });
    const { mgr, reconciled } = await recordingManager(`label-${namespace}`, {
      namespace,
      cache: { defaultLabelSelector: 'team=a', defaultFieldSelector: 'metadata.name!=mine-excluded' },
    });
    await until('the labelled object reconciled', () => reconciled.includes(`${namespace}/mine`));
    expect(await cachedNames(mgr)).toEqual([`${namespace}/mine`]);
    await widget(namespace, 'other-team', { team: 'b' });
    await widget(namespace, 'mine-excluded', { team: 'a' });
    await widget(namespace, 'mine-later', { team: 'a' });
    await until('the later labelled object reconciled', () => reconciled.includes(`${namespace}/mine-later`));
    expect(reconciled.sort()).toEqual([`${namespace}/mine`, `${namespace}/mine-later`]);
  });

  it('re-delivers every cached object as an update each syncPeriodMs, so unchanged objects are reconciled again', async () => {
    const namespace = await createTestNamespace('scope-resync');
    await widget(namespace, 'w');
    const { mgr, reconciled } = await recordingManager(`resync-${namespace}`, {
      namespace,
      cache: { syncPeriodMs: 300 },
    });
    const resyncs: boolean[] = [];
    mgr.cache.informerFor(WidgetKind).addEventHandler({ onUpdate: (o, n) => resyncs.push(o === n) });
    await until('a resync seen by a handler', () => resyncs.length >= 1);
    const before = reconciled.length;
    await until('reconciled again by a later resync, without a change', () => reconciled.length > before);
    expect(new Set(reconciled)).toEqual(new Set([`${namespace}/w`]));
    expect(resyncs.every(Boolean)).toBe(true);
  });

  it('reconcileAll queues every cached object of the reconciled kind once more', async () => {
    const namespace = await createTestNamespace('scope-all');
    for (const name of ['x', 'y', 'z']) await widget(namespace, name);
    const { reconciled, controller } = await recordingManager(`all-${namespace}`, { namespace });
    await until('each reconciled once', () => reconciled.length === 3);
    expect(controller.reconcileAll()).toBe(3);
    await until('each reconciled twice', () => reconciled.length === 6);
    expect(reconciled.slice(3).sort()).toEqual(['x', 'y', 'z'].map((n) => `${namespace}/${n}`));
  });
});
