import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigMap,
  controllerFor,
  Result,
  predicates,
  newClient,
  setControllerReference,
  type DirectClient,
  type ReconcileContext,
  type Reconciler,
  type Request,
} from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { startManager, until, type RunningManager } from './harness.js';
import { installWidgetCrd, WidgetKind } from './widget-kind.js';

let client: DirectClient;
const managers: RunningManager[] = [];

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'controller-test' });
  await installWidgetCrd(client);
});

afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  client?.close();
});

/** Records every request and, per key, what the cached client saw when it ran. */
class RecordingReconciler implements Reconciler {
  readonly seen: { request: Request; exists: boolean; size?: number }[] = [];
  constructor(private readonly read: (r: Request) => Promise<{ spec?: { size?: number } } | undefined>) {}
  async reconcile(request: Request, _ctx: ReconcileContext): Promise<Result> {
    const widget = await this.read(request);
    this.seen.push({ request, exists: widget !== undefined, size: widget?.spec?.size });
    return Result.done();
  }
}

async function run(setup: Parameters<typeof startManager>[0], namespace: string): Promise<RunningManager> {
  const running = await startManager(setup, { namespace });
  managers.push(running);
  return running;
}

describe('controller against a real apiserver', () => {
  it('reconciles objects when they are created, updated and deleted', async () => {
    const namespace = await createTestNamespace('ctrl-crud');
    let reconciler!: RecordingReconciler;
    await run((mgr) => {
      reconciler = new RecordingReconciler((r) => mgr.client.get(WidgetKind, r));
      controllerFor(mgr, WidgetKind).named(`crud-${namespace}`).complete(reconciler);
    }, namespace);
    const key = { namespace, name: 'w1' };
    await client.create(WidgetKind, { metadata: key, spec: { size: 1 } });
    await until('create reconciled', () => reconciler.seen.some((s) => s.exists && s.size === 1));
    await client.patch(WidgetKind, key, { type: 'merge', body: { spec: { size: 2 } } });
    await until('update reconciled', () => reconciler.seen.some((s) => s.size === 2));
    await client.delete(WidgetKind, key);
    await until('delete reconciled', () => reconciler.seen.at(-1)?.exists === false);
    expect(reconciler.seen.every((s) => s.request.namespace === namespace && s.request.name === 'w1')).toBe(true);
  });

  it('re-enqueues the owner when an owned object changes', async () => {
    const namespace = await createTestNamespace('ctrl-owns');
    let reconciler!: RecordingReconciler;
    await run((mgr) => {
      reconciler = new RecordingReconciler((r) => mgr.client.get(WidgetKind, r));
      controllerFor(mgr, WidgetKind).owns(ConfigMap).named(`owns-${namespace}`).complete(reconciler);
    }, namespace);
    const owner = await client.create(WidgetKind, { metadata: { namespace, name: 'owner' }, spec: { size: 1 } });
    await until('owner reconciled', () => reconciler.seen.length > 0);
    const configMap = { metadata: { namespace, name: 'owned' }, data: { v: '1' } };
    setControllerReference(owner, configMap, WidgetKind);
    const beforeCreates = reconciler.seen.length;
    await client.create(ConfigMap, configMap);
    await client.create(ConfigMap, { metadata: { namespace, name: 'unowned' }, data: { v: '1' } });
    await until('owner reconciled after the owned ConfigMap was created', () => reconciler.seen.length > beforeCreates);
    const before = reconciler.seen.length;
    await client.patch(ConfigMap, { namespace, name: 'owned' }, { type: 'merge', body: { data: { v: '2' } } });
    await until('owner reconciled after owned change', () => reconciler.seen.length > before);
    await client.patch(ConfigMap, { namespace, name: 'unowned' }, { type: 'merge', body: { data: { v: '2' } } });
    // ConfigMap events arrive in order and the one worker takes keys in order: once the owner is
    // reconciled for a later change of the owned ConfigMap, whatever the unowned change enqueued ran too
    const afterUnowned = reconciler.seen.length;
    await client.patch(ConfigMap, { namespace, name: 'owned' }, { type: 'merge', body: { data: { v: '3' } } });
    await until('owner reconciled after a later owned change', () => reconciler.seen.length > afterUnowned);
    expect(reconciler.seen.every((s) => s.request.name === 'owner')).toBe(true);
  });

  it('coalesces 500 updates that arrive during a reconcile into one more reconcile of the final state', async () => {
    const namespace = await createTestNamespace('ctrl-burst');
    let reconciler!: RecordingReconciler;
    let started = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { mgr } = await run((mgr) => {
      reconciler = new RecordingReconciler(async (r) => {
        started++;
        await gate;
        return mgr.client.get(WidgetKind, r);
      });
      controllerFor(mgr, WidgetKind).named(`burst-${namespace}`).complete(reconciler);
    }, namespace);
    const key = { namespace, name: 'hot' };
    await client.create(WidgetKind, { metadata: key, spec: { size: 0 } });
    await until('the first reconcile is in flight', () => started === 1);
    for (let i = 1; i <= 500; i++) await client.patch(WidgetKind, key, { type: 'merge', body: { spec: { size: i } } });
    await until(
      'the cache holds the last update',
      async () => (await mgr.client.get(WidgetKind, key))?.spec?.size === 500,
    );
    release();
    await until('final state reconciled', () => reconciler.seen.at(-1)?.size === 500);
    // one worker takes keys in order: a reconcile of 'hot' still queued would run before 'marker'
    await client.create(WidgetKind, { metadata: { namespace, name: 'marker' }, spec: { size: 0 } });
    await until('marker reconciled', () => reconciler.seen.some((s) => s.request.name === 'marker'));
    const hot = reconciler.seen.filter((s) => s.request.name === 'hot');
    expect(hot.map((s) => s.size)).toEqual([500, 500]);
  });

  it('retries 409 conflicts until the status is correct', async () => {
    const namespace = await createTestNamespace('ctrl-conflict');
    const key = { namespace, name: 'contended' };
    let conflicts = 0;
    let interfere = true;
    await run((mgr) => {
      controllerFor(mgr, WidgetKind)
        .withEventFilter(predicates.generationChanged()) // label and status writes trigger no reconcile
        .named(`conflict-${namespace}`)
        .complete({
          async reconcile(request) {
            const widget = await mgr.client.get(WidgetKind, request);
            if (!widget) return Result.done();
            await new Promise((resolve) => setTimeout(resolve, 30));
            if (interfere) {
              interfere = false; // another writer changes the Widget between this read and the status write
              await client.patch(WidgetKind, key, { type: 'merge', body: { metadata: { labels: { step: '0' } } } });
            }
            try {
              await mgr.client
                .status()
                .update(WidgetKind, { ...widget, status: { observedSize: widget.spec?.size, phase: 'Ready' } });
            } catch (err) {
              conflicts++;
              throw err;
            }
            return Result.done();
          },
        });
    }, namespace);
    await client.create(WidgetKind, { metadata: key, spec: { size: 0 } });
    // nothing but a retry of the failed reconcile can write this status
    await until(
      'status written after the conflict',
      async () => (await client.get(WidgetKind, key))?.status?.phase === 'Ready',
      30_000,
    );
    expect(conflicts).toBeGreaterThan(0);
    for (let i = 1; i <= 30; i++) {
      await client.patch(WidgetKind, key, {
        type: 'merge',
        body: { spec: { size: i }, metadata: { labels: { step: String(i) } } },
      });
      await new Promise((r) => setTimeout(r, 10));
    }
    await until(
      'status caught up with spec',
      async () => (await client.get(WidgetKind, key))?.status?.observedSize === 30,
      30_000,
    );
  });
});
