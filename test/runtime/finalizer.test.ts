import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addFinalizer,
  controllerFor,
  Result,
  finalize,
  newClient,
  removeFinalizer,
  type DirectClient,
  type ObjectKey,
} from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { startManager, until, type RunningManager } from './harness.js';
import { installWidgetCrd, WidgetKind } from './widget-kind.js';

const FINALIZER = 'widgets.test.kubeforge.io/cleanup';
let client: DirectClient;
const managers: RunningManager[] = [];

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'finalizer-test' });
  await installWidgetCrd(client);
});

afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  client?.close();
});

const finalizersOf = async (key: ObjectKey) => (await client.get(WidgetKind, key))?.metadata?.finalizers;

describe('finalizers against a real apiserver', () => {
  it('adds the finalizer, runs cleanup on delete, then lets the object go', async () => {
    const namespace = await createTestNamespace('finalizer');
    const cleaned: string[] = [];
    let failCleanupOnce = true;
    const running = await startManager(
      (mgr) => {
        controllerFor(mgr, WidgetKind)
          .named(`finalizer-${namespace}`)
          .complete({
            async reconcile(request) {
              const widget = await mgr.client.get(WidgetKind, request);
              if (!widget) return Result.done();
              return finalize(mgr.client, WidgetKind, widget, FINALIZER, {
                apply: async (current) => {
                  await mgr.client.status().patch(WidgetKind, request, {
                    type: 'merge',
                    body: { status: { phase: 'Ready', observedSize: current.spec?.size } },
                  });
                  return Result.done();
                },
                cleanup: async (current) => {
                  if (failCleanupOnce) {
                    failCleanupOnce = false;
                    throw new Error('external system unavailable');
                  }
                  cleaned.push(current.metadata!.name!);
                  return Result.done();
                },
              });
            },
          });
      },
      { namespace },
    );
    managers.push(running);
    const key = { namespace, name: 'guarded' };
    await client.create(WidgetKind, { metadata: { ...key, finalizers: ['other.io/keep'] }, spec: { size: 3 } });
    await until('finalizer added and status set', async () => {
      const w = await client.get(WidgetKind, key);
      return w?.status?.phase === 'Ready' && (w.metadata?.finalizers ?? []).includes(FINALIZER);
    });
    expect(await finalizersOf(key)).toEqual(['other.io/keep', FINALIZER]);

    await client.delete(WidgetKind, key);
    await until('cleanup ran after a failed attempt', () => cleaned.length >= 1);
    await until(
      'our finalizer removed, the other kept',
      async () => JSON.stringify(await finalizersOf(key)) === '["other.io/keep"]',
    );
    expect((await client.get(WidgetKind, key))?.metadata?.deletionTimestamp).toBeTruthy();

    await client.patch(WidgetKind, key, {
      type: 'json',
      operations: [{ op: 'remove', path: '/metadata/finalizers/0' }],
    });
    await until('object gone', async () => (await client.get(WidgetKind, key)) === undefined);
    expect(failCleanupOnce).toBe(false);
    expect(new Set(cleaned)).toEqual(new Set(['guarded']));
  });

  it('refuses to remove by a stale index instead of dropping another controller finalizer', async () => {
    const namespace = await createTestNamespace('finalizer-race');
    const key = { namespace, name: 'raced' };
    const created = await client.create(WidgetKind, {
      metadata: { ...key, finalizers: ['a.io/first'] },
      spec: { size: 1 },
    });
    const withOurs = await addFinalizer(client, WidgetKind, created, FINALIZER);
    expect(withOurs.metadata?.finalizers).toEqual(['a.io/first', FINALIZER]);
    await client.patch(WidgetKind, key, {
      type: 'json',
      operations: [{ op: 'remove', path: '/metadata/finalizers/0' }],
    });
    await client.patch(WidgetKind, key, {
      type: 'json',
      operations: [{ op: 'add', path: '/metadata/finalizers/-', value: 'b.io/second' }],
    });
    await expect(removeFinalizer(client, WidgetKind, withOurs, FINALIZER)).rejects.toThrow();
    expect(await finalizersOf(key)).toEqual([FINALIZER, 'b.io/second']);
    const fresh = (await client.get(WidgetKind, key))!;
    await removeFinalizer(client, WidgetKind, fresh, FINALIZER);
    expect(await finalizersOf(key)).toEqual(['b.io/second']);
  });
});
