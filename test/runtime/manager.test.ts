import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controllerFor,
  CustomResourceDefinition,
  defineKind,
  Result,
  EventV1,
  managerOptionsFromArgs,
  newManager,
  newClient,
  type DirectClient,
  type KubeObject,
} from '../../src/runtime/index.js';
import { createTestNamespace, testKubeconfigPath, testRestConfig } from '../support/cluster.js';
import { startManager, until, type RunningManager } from './harness.js';
import { manyBuiltInKinds, recordListenerWarnings } from './many-kinds.js';
import { installWidgetCrd, WidgetKind } from './widget-kind.js';

let client: DirectClient;
const managers: RunningManager[] = [];

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'manager-test' });
  await installWidgetCrd(client);
});

afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  client?.close();
});

const probe = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
};

describe('manager endpoints', () => {
  it('runs a controller for each of many kinds without a MaxListenersExceededWarning on its stop signals', async () => {
    const recorder = recordListenerWarnings();
    try {
      const running = await startManager(
        (mgr) => {
          for (const kind of manyBuiltInKinds)
            controllerFor(mgr, kind).complete({ reconcile: async () => Result.done() });
        },
        { healthProbeBindAddress: '127.0.0.1:0', namespace: await createTestNamespace('many-kinds') },
      );
      managers.push(running);
      const { healthProbe } = await running.mgr.serving();
      // Ready means every controller and informer has started, so every listener is in place.
      await until('ready', async () => (await probe(`${healthProbe}/readyz`)).status === 200, 60_000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(recorder.warnings).toEqual([]);
    } finally {
      recorder.stop();
    }
  });

  it('answers /readyz 500 until the caches have synced, then 200; /healthz runs added checks', async () => {
    const group = `g${randomBytes(3).toString('hex')}.ready.kubeforge.io`;
    const Gadget = defineKind<KubeObject>({
      group,
      version: 'v1',
      kind: 'Gadget',
      plural: 'gadgets',
      namespaced: true,
    });
    let healthy = false;
    const running = await startManager(
      (mgr) => {
        controllerFor(mgr, Gadget).complete({ reconcile: async () => Result.done() });
        mgr.addHealthCheck('custom', () => {
          if (!healthy) throw new Error('not yet');
        });
      },
      { healthProbeBindAddress: '127.0.0.1:0' },
    );
    managers.push(running);
    const { healthProbe } = await running.mgr.serving();
    const notReady = await probe(`${healthProbe}/readyz`);
    expect(notReady.status).toBe(500);
    expect(notReady.body).toContain('[-]cache-sync failed: caches have not synced yet');
    expect((await probe(`${healthProbe}/healthz`)).body).toContain('[-]custom failed: not yet');

    await client.create(CustomResourceDefinition, {
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
              },
            },
          },
        ],
      },
    });
    await until('ready after sync', async () => (await probe(`${healthProbe}/readyz`)).status === 200, 40_000);
    expect(await probe(`${healthProbe}/readyz?verbose`)).toEqual({
      status: 200,
      body: '[+]cache-sync ok\n[+]informers ok\nreadyz check passed\n',
    });
    healthy = true;
    expect(await probe(`${healthProbe}/healthz`)).toEqual({ status: 200, body: 'ok' });
    expect((await probe(`${healthProbe}/readyz/nope`)).status).toBe(404);
  });

  it('exposes controller-runtime metric names with sane values', async () => {
    const namespace = await createTestNamespace('metrics');
    const name = `metrics-${namespace}`;
    const running = await startManager(
      (mgr) => {
        controllerFor(mgr, WidgetKind)
          .named(name)
          .withOptions({ maxConcurrentReconciles: 2 })
          .complete({
            async reconcile(request) {
              if (request.name === 'broken') throw new Error('always fails');
              return Result.done();
            },
          });
      },
      {
        namespace,
        metricsBindAddress: '127.0.0.1:0',
        // Plain HTTP: this test reads the series; test/security/metrics-auth.test.ts covers secure serving.
        metricsServer: { secure: false },
        leaderElection: {
          id: 'metrics-lock',
          namespace,
          leaseDurationMs: 3000,
          renewDeadlineMs: 2000,
          retryPeriodMs: 500,
        },
      },
    );
    managers.push(running);
    for (let i = 0; i < 5; i++)
      await client.create(WidgetKind, { metadata: { namespace, name: `ok${i}` }, spec: { size: i } });
    await client.create(WidgetKind, { metadata: { namespace, name: 'broken' }, spec: { size: 0 } });
    const { metrics } = await running.mgr.serving();
    const sample = (text: string, metric: string, labels: string) => {
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`${metric}{`) && labels.split(',').every((kv) => l.includes(kv)));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : undefined;
    };
    let text = '';
    await until('reconciles counted', async () => {
      text = (await probe(`${metrics}/metrics`)).body;
      return (
        (sample(text, 'controller_runtime_reconcile_total', `controller="${name}",result="success"`) ?? 0) >= 5 &&
        (sample(text, 'controller_runtime_reconcile_errors_total', `controller="${name}"`) ?? 0) >= 2
      );
    });
    for (const metric of [
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_terminal_reconcile_errors_total',
      'controller_runtime_reconcile_panics_total',
      'controller_runtime_reconcile_time_seconds_bucket',
      'controller_runtime_max_concurrent_reconciles',
      'controller_runtime_active_workers',
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_queue_duration_seconds_bucket',
      'workqueue_work_duration_seconds_bucket',
      'workqueue_retries_total',
      'workqueue_unfinished_work_seconds',
      'workqueue_longest_running_processor_seconds',
      'leader_election_master_status',
      'rest_client_requests_total',
      'rest_client_request_duration_seconds_bucket',
    ]) {
      expect(text, metric).toMatch(new RegExp(`^${metric}\\{`, 'm'));
    }
    const c = `controller="${name}"`;
    expect(sample(text, 'controller_runtime_max_concurrent_reconciles', c)).toBe(2);
    expect(sample(text, 'controller_runtime_active_workers', c)).toBeLessThanOrEqual(2);
    expect(sample(text, 'workqueue_adds_total', `name="${name}"`)).toBeGreaterThanOrEqual(6);
    expect(sample(text, 'workqueue_retries_total', `name="${name}"`)).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'controller_runtime_reconcile_time_seconds_count', c)).toBeGreaterThanOrEqual(7);
    expect(sample(text, 'leader_election_master_status', 'name="metrics-lock"')).toBe(1);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
    expect(sample(text, 'rest_client_requests_total', 'code="200",method="GET"')).toBeGreaterThan(0);
  });

  it('records one events.k8s.io/v1 Event per repeated occurrence, counted in its series', async () => {
    const namespace = await createTestNamespace('events');
    const running = await startManager(() => {}, { namespace });
    managers.push(running);
    const widget = await client.create(WidgetKind, { metadata: { namespace, name: 'noisy' }, spec: { size: 1 } });
    const recorder = running.mgr.eventRecorder('widget-controller');
    for (let i = 0; i < 3; i++)
      recorder.event(widget, { type: 'Warning', reason: 'SizeTooSmall', note: 'size 1 is below the minimum of 2' });
    recorder.event(widget, { type: 'Normal', reason: 'Reconciled', action: 'Reconcile' });
    await recorder.flush();
    const events = await client.list(EventV1, { namespace });
    expect(events).toHaveLength(2);
    const warning = events.find((e) => e.reason === 'SizeTooSmall')!;
    expect(warning).toMatchObject({
      type: 'Warning',
      note: 'size 1 is below the minimum of 2',
      action: 'SizeTooSmall',
      reportingController: 'widget-controller',
      reportingInstance: running.mgr.identity,
      regarding: { kind: 'Widget', name: 'noisy', namespace, uid: widget.metadata?.uid },
      series: { count: 3 },
    });
    expect(events.find((e) => e.reason === 'Reconciled')?.series).toBeUndefined();
  });

  it('rejects start with the error of a failing runnable after stopping the others', async () => {
    let otherStopped = false;
    const running = await startManager((mgr) => {
      mgr.add({
        needLeaderElection: false,
        start: (signal) =>
          new Promise<void>((resolve) => signal.addEventListener('abort', () => ((otherStopped = true), resolve()))),
      });
      mgr.add({ start: async () => Promise.reject(new Error('webhook certificate missing')) });
    });
    await expect(running.running).rejects.toThrow('webhook certificate missing');
    expect(otherStopped).toBe(true);
  });

  it('runs runnables that need no leadership on a standby replica, and leader-only ones only on the leader', async () => {
    const namespace = await createTestNamespace('standby');
    const election = {
      id: 'standby-lock',
      namespace,
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 500,
    };
    const started: string[] = [];
    const replica = (name: string) =>
      startManager(
        (mgr) => {
          mgr.add({ needLeaderElection: false, start: async () => void started.push(`${name}:always`) });
          mgr.add({ start: async () => void started.push(`${name}:leader`) });
        },
        { namespace, leaderElection: { ...election, identity: name } },
      );
    const leader = await replica('leader');
    managers.push(leader);
    await until('leader runs both', () => started.includes('leader:leader'));
    const standby = await replica('standby');
    managers.push(standby);
    await until('standby runs its always-on runnable', () => started.includes('standby:always'));
    await new Promise((r) => setTimeout(r, 1000));
    expect(started.sort()).toEqual(['leader:always', 'leader:leader', 'standby:always']);
  });

  it('rejects start naming the address when the metrics port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const running = await startManager(() => {}, { metricsBindAddress: `127.0.0.1:${port}` });
      await expect(running.running).rejects.toThrow(`metrics server: cannot listen on 127.0.0.1:${port}`);
      expect(await running.mgr.serving()).toEqual({});
    } finally {
      taken.close();
    }
  });

  it('runs from command-line flags as a generated main.ts does', async () => {
    const namespace = await createTestNamespace('flags');
    const options = managerOptionsFromArgs(
      [
        '--kubeconfig',
        testKubeconfigPath(),
        '--namespace',
        namespace,
        '--metrics-bind-address=0',
        '--health-probe-bind-address=127.0.0.1:0',
        '--log-level=silent',
      ],
      { leaderElectionId: 'unused.example.com' },
    );
    const mgr = await newManager(options);
    const seen: string[] = [];
    controllerFor(mgr, WidgetKind).complete({ reconcile: async (request) => (seen.push(request.name), Result.done()) });
    const stop = new AbortController();
    const running = mgr.start(stop.signal);
    await client.create(WidgetKind, { metadata: { namespace, name: 'from-flags' }, spec: { size: 1 } });
    await until('reconciled', () => seen.includes('from-flags'));
    const { healthProbe } = await mgr.serving();
    expect((await probe(`${healthProbe}/readyz`)).status).toBe(200);
    stop.abort();
    await running;
  });
});
