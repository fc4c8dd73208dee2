/**
 * The operator end to end across outages, on a control plane of its own: a manager whose
 * controller reconciles ConfigMaps keeps converging when the apiserver restarts, and after a
 * partition (the envtest fault proxy refusing connections) long enough for etcd to compact
 * (410 Gone → relist) it reconciles what changed exactly once, and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, startFaultProxy, type ControlPlane, type FaultProxy } from '../../src/envtest/index.js';
import {
  ConfigMap,
  controllerFor,
  Result,
  Namespace,
  newClient,
  newManager,
  type DirectClient,
} from '../../src/runtime/index.js';
import { compactEtcd } from './etcd.js';
import { testLogger, until } from './harness.js';

const namespace = 'resilient';
let plane: ControlPlane;
let direct: DirectClient;
let proxy: FaultProxy;
const stop = new AbortController();
let running: Promise<void>;
/** Per ConfigMap: the data.v values (or 'gone') the reconciler saw, in order. */
const seen = new Map<string, string[]>();

const lastSeen = (name: string) => seen.get(name)?.at(-1);

beforeAll(async () => {
  plane = await startControlPlane();
  direct = newClient(plane.restConfig);
  proxy = await startFaultProxy({ upstream: plane.restConfig });
  await direct.create(Namespace, { metadata: { name: namespace } });
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      direct.create(ConfigMap, { metadata: { name: `cm-${i}`, namespace }, data: { v: '0' } }),
    ),
  );
  const mgr = await newManager({
    restConfig: proxy.restConfig,
    namespace,
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
    logger: testLogger(),
  });
  controllerFor(mgr, ConfigMap).complete({
    async reconcile(request) {
      const cm = await mgr.client.get(ConfigMap, request);
      seen.set(request.name, [...(seen.get(request.name) ?? []), cm ? (cm.data?.v ?? '') : 'gone']);
      return Result.done();
    },
  });
  running = mgr.start(stop.signal);
}, 120_000);

afterAll(async () => {
  stop.abort();
  await running?.catch(() => {});
  direct?.close();
  await proxy?.close();
  await plane?.stop();
});

describe('operator across outages', () => {
  it('reconciles everything once at start', async () => {
    await until('all 20 reconciled', () => seen.size === 20);
    expect([...seen.values()].every((values) => values.join() === '0')).toBe(true);
  });

  it('reconnects after the apiserver restarts and reconciles what changed meanwhile', async () => {
    await plane.stopApiServer();
    await new Promise((r) => setTimeout(r, 1000));
    await plane.startApiServer();
    await direct.patch(
      ConfigMap,
      { namespace, name: 'cm-5' },
      { type: 'merge', body: { data: { v: 'after-restart' } } },
    );
    await direct.create(ConfigMap, { metadata: { name: 'born-after-restart', namespace }, data: { v: 'new' } });
    await until(
      'changes reconciled',
      () => lastSeen('cm-5') === 'after-restart' && lastSeen('born-after-restart') === 'new',
      60_000,
    );
  });

  it('relists after 410 Gone without reconciling unchanged objects', async () => {
    await until('quiet', () => [...seen.values()].every((v) => v.length > 0));
    const before = new Map([...seen].map(([name, values]) => [name, values.length]));
    const partition = proxy.faults.partition({ mode: 'reset' });
    for (let i = 0; i < 3; i++) await direct.delete(ConfigMap, { namespace, name: `cm-${i}` });
    for (const name of ['new-a', 'new-b'])
      await direct.create(ConfigMap, { metadata: { name, namespace }, data: { v: 'new' } });
    for (const name of ['cm-10', 'cm-11'])
      await direct.patch(ConfigMap, { namespace, name }, { type: 'merge', body: { data: { v: 'changed' } } });
    await compactEtcd(plane);
    await plane.stopApiServer();
    await plane.startApiServer();
    partition.remove();

    await until(
      'the seven changes reconciled',
      () =>
        ['cm-0', 'cm-1', 'cm-2'].every((n) => lastSeen(n) === 'gone') &&
        ['new-a', 'new-b'].every((n) => lastSeen(n) === 'new') &&
        ['cm-10', 'cm-11'].every((n) => lastSeen(n) === 'changed'),
      60_000,
    );
    // A later change, reconciled after anything the relist could have queued.
    await direct.patch(ConfigMap, { namespace, name: 'cm-19' }, { type: 'merge', body: { data: { v: 'sentinel' } } });
    await until('the later change reconciled', () => lastSeen('cm-19') === 'sentinel', 60_000);
    const again = [...seen].filter(([name, values]) => values.length > (before.get(name) ?? 0)).map(([name]) => name);
    expect(again.sort()).toEqual(['cm-0', 'cm-1', 'cm-10', 'cm-11', 'cm-19', 'cm-2', 'new-a', 'new-b']);
    for (const name of again) expect(seen.get(name)!.length - (before.get(name) ?? 0), name).toBe(1);
  });
});
