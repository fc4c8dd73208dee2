import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigMap,
  controllerFor,
  done,
  newClient,
  setControllerReference,
  type DirectClient,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
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
    return done();
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
    await client.create(ConfigMap, configMap);
    await client.create(ConfigMap, { metadata: { namespace, name: 'unowned' }, data: { v: '1' } });
    await new Promise((r) => setTimeout(r, 300));
    const before = reconciler.seen.length;
    await client.patch(ConfigMap, { namespace, name: 'owned' }, { type: 'merge', body: { data: { v: '2' } } });
    await until('owner reconciled after owned change', () => reconciler.seen.length > before);
    await client.patch(ConfigMap, { namespace, name: 'unowned' }, { type: 'merge', body: { data: { v: '2' } } });
    await new Promise((r) => setTimeout(r, 300));
    expect(reconciler.seen.every((s) => s.request.name === 'owner')).toBe(true);
  });

  it('converges after 500 rapid updates of one object with far fewer reconciles', async () => {
    const namespace = await createTestNamespace('ctrl-burst');
    let reconciler!: RecordingReconciler;
    await run((mgr) => {
      reconciler = new RecordingReconciler(async (r) => {
        const widget = await mgr.client.get(WidgetKind, r);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return widget;
      });
      controllerFor(mgr, WidgetKind).named(`burst-${namespace}`).complete(reconciler);
    }, namespace);
    const key = { namespace, name: 'hot' };
    await client.create(WidgetKind, { metadata: key, spec: { size: 0 } });
    for (let i = 1; i <= 500; i++) await client.patch(WidgetKind, key, { type: 'merge', body: { spec: { size: i } } });
    await until('final state reconciled', () => reconciler.seen.at(-1)?.size === 500, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(reconciler.seen.at(-1)?.size).toBe(500);
    expect(reconciler.seen.length).toBeLessThan(250);
    console.log(`500 updates → ${reconciler.seen.length} reconciles`);
  });

  it('retries 409 conflicts until the status is correct', async () => {
    const namespace = await createTestNamespace('ctrl-conflict');
    let conflicts = 0;
    await run((mgr) => {
      controllerFor(mgr, WidgetKind)
        .named(`conflict-${namespace}`)
        .complete({
          async reconcile(request) {
            const widget = await mgr.client.get(WidgetKind, request);
            if (!widget) return done();
            await new Promise((resolve) => setTimeout(resolve, 30));
            try {
              await mgr.client
                .status()
                .update(WidgetKind, { ...widget, status: { observedSize: widget.spec?.size, phase: 'Ready' } });
            } catch (err) {
              conflicts++;
              throw err;
            }
            return done();
          },
        });
    }, namespace);
    const key = { namespace, name: 'contended' };
    await client.create(WidgetKind, { metadata: key, spec: { size: 0 } });
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
    expect(conflicts).toBeGreaterThan(0);
  });
});
