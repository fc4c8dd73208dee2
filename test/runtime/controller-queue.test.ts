/**
 * The controller's queue options against the real apiserver: changes made while a controller
 * works through its initial list go first (priority queue), a hung reconcile is aborted at
 * `reconcileTimeoutMs` and retried, `cacheSyncTimeoutMs` fails start naming a kind whose CRD is
 * missing, and controller names are unique per manager.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controllerFor,
  defineKind,
  newClient,
  newManager,
  Result,
  type DirectClient,
  type Request,
} from '../../src/runtime/index.js';
import { ReconcileTimeoutError } from '../../src/runtime/controller/index.js';
import { metricsRegistry } from '../../src/runtime/metrics/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { startManager, testLogger, until, type RunningManager } from './harness.js';
import { installWidgetCrd, WidgetKind } from './widget-kind.js';

let client: DirectClient;
const managers: RunningManager[] = [];

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'controller-queue-test' });
  await installWidgetCrd(client);
});

afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  client?.close();
});

async function counterValue(name: string, controller: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => v.labels.controller === controller)?.value ?? 0;
}

describe('controller queue', () => {
  it('reconciles an object changed after start before the rest of the initial list', async () => {
    const namespace = await createTestNamespace('queue-priority');
    const names = Array.from({ length: 12 }, (_, i) => `w-${String(i).padStart(2, '0')}`);
    for (const name of names) await client.create(WidgetKind, { metadata: { namespace, name }, spec: { size: 0 } });
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = await startManager(
      (mgr) =>
        controllerFor(mgr, WidgetKind)
          .named(`priority-${namespace}`)
          .complete({
            async reconcile(request: Request) {
              order.push(request.name);
              await gate; // the first reconcile holds the only worker until the change is queued
              return Result.done();
            },
          }),
      { namespace },
    );
    managers.push(running);
    await until('the first initial item is being reconciled', () => order.length === 1);
    const last = names.at(-1)!;
    const changed = await client.patch(
      WidgetKind,
      { namespace, name: last },
      { type: 'merge', body: { spec: { size: 1 } } },
    );
    const informer = running.mgr.cache.informerFor(WidgetKind);
    await until(
      'the change reached the controller',
      () => informer.get({ namespace, name: last })?.metadata?.resourceVersion === changed.metadata?.resourceVersion,
    );
    release();
    await until('every object reconciled', () => new Set(order).size === names.length);
    expect(order[0]).toBe(names[0]);
    expect(order[1]).toBe(last);
    expect(order.slice(2)).toEqual(names.slice(1, -1));
  });

  it('aborts a hung reconcile at reconcileTimeoutMs and retries it with backoff', async () => {
    const namespace = await createTestNamespace('queue-timeout');
    const name = `timeout-${namespace}`;
    const signals: AbortSignal[] = [];
    const running = await startManager(
      (mgr) =>
        controllerFor(mgr, WidgetKind)
          .named(name)
          .withOptions({ reconcileTimeoutMs: 300 })
          .complete({
            async reconcile(_request, ctx) {
              signals.push(ctx.signal);
              if (signals.length === 1) await new Promise(() => {}); // hangs, ignoring its signal
              return Result.done();
            },
          }),
      { namespace },
    );
    managers.push(running);
    await client.create(WidgetKind, { metadata: { namespace, name: 'stuck' }, spec: { size: 0 } });
    await until('the key is retried after the timeout', () => signals.length === 2);
    expect(signals[0].aborted).toBe(true);
    expect(signals[0].reason).toBeInstanceOf(ReconcileTimeoutError);
    expect(signals[1].aborted).toBe(false);
    expect(await counterValue('controller_runtime_reconcile_timeouts_total', name)).toBe(1);
    expect(await counterValue('controller_runtime_reconcile_errors_total', name)).toBe(1);
  });

  it('fails start naming the kind whose cache did not sync within cacheSyncTimeoutMs', async () => {
    const Gadget = defineKind({
      group: 'missing.kubeforge.io',
      version: 'v1',
      kind: 'Gadget',
      plural: 'gadgets',
      namespaced: true,
    });
    const namespace = await createTestNamespace('queue-sync');
    const running = await startManager(
      (mgr) =>
        controllerFor(mgr, Gadget)
          .withOptions({ cacheSyncTimeoutMs: 1500 })
          .complete({ reconcile: async () => Result.done() }),
      { namespace },
    );
    managers.push(running);
    await expect(running.running).rejects.toThrow(
      /^controller gadget: timed out after 1500 ms waiting for caches to sync: the apiserver has no gadgets\.missing\.kubeforge\.io for Gadget \(missing\.kubeforge\.io\/v1\): the CRD gadgets\.missing\.kubeforge\.io is not installed/,
    );
  });

  it('refuses a second controller of the same name unless skipNameValidation, per controller or for the manager', async () => {
    const mgr = await newManager({
      restConfig: testRestConfig(),
      metricsBindAddress: '0',
      healthProbeBindAddress: '0',
      logger: testLogger(),
    });
    const reconciler = { reconcile: async () => Result.done() };
    controllerFor(mgr, WidgetKind).complete(reconciler);
    expect(() => controllerFor(mgr, WidgetKind).complete(reconciler)).toThrow(
      'controller with name widget already exists. Controller names must be unique',
    );
    expect(() =>
      controllerFor(mgr, WidgetKind).withOptions({ skipNameValidation: true }).complete(reconciler),
    ).not.toThrow();
    expect(() => controllerFor(mgr, WidgetKind).named('widget-2').complete(reconciler)).not.toThrow();
    mgr.apiReader.close();

    const lenient = await newManager({
      restConfig: testRestConfig(),
      metricsBindAddress: '0',
      healthProbeBindAddress: '0',
      logger: testLogger(),
      controller: { skipNameValidation: true }, // defaults for every controller of the manager
    });
    controllerFor(lenient, WidgetKind).complete(reconciler);
    expect(() => controllerFor(lenient, WidgetKind).complete(reconciler)).not.toThrow();
    lenient.apiReader.close();
  });
});
