// One reconcile-benchmark run of one operator on a fresh control plane: start the operator with a
// probe Widget present (startup → probe Ready), create N Widgets as fast as possible (time until
// all Ready, operator CPU, peak and current RSS), update all of them (same figures), idle, RSS.
// The harness watches Widgets with kubeforge's informer (dist/) and counts the Ready ones per
// generation as events arrive (constant cost per event, so N = 20 000 is no burden).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds, memory } from './process-stats.js';

const NAMESPACE = 'bench';
const PARALLEL_WRITES = 50;
const EXIT_CHECK_MS = 50;

/**
 * `operator`: `{ name, command, args, env? }`; the operator gets KUBECONFIG and WIDGET_WORKERS.
 * Returns the figures of the run (milliseconds, CPU seconds, MiB), or throws when a phase times out.
 */
export async function runScenario({ operator, count, workers, idleMs, crdDir, logDir, timeoutMs, extraEnv = {} }) {
  const { startControlPlane } = await import('../../dist/envtest/index.js');
  const runtime = await import('../../dist/runtime/index.js');
  const { newCache } = await import('../../dist/runtime/cache/index.js');
  const WidgetKind = runtime.defineKind({
    group: 'bench.example.com',
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    namespaced: true,
  });
  const plane = await startControlPlane({ crdDirectoryPaths: [crdDir] });
  // The harness's own writes are not rate limited (its clients' default is 20 QPS).
  const client = runtime.newClient(plane.restConfig, { qps: -1 });
  const stop = new AbortController();
  let child;
  try {
    await client.create(runtime.Namespace, { metadata: { name: NAMESPACE } });
    await client.create(WidgetKind, widget('probe', 1));
    const cache = newCache(client, { namespace: NAMESPACE });
    const informer = cache.informerFor(WidgetKind);
    const ready = readyCounter(runtime.isStatusConditionTrue);
    informer.addEventHandler(ready.handler);
    void cache.start(stop.signal);
    await cache.waitForCacheSync(stop.signal);
    const waitReady = async (generation, expected, phase) => {
      const deadline = performance.now() + timeoutMs;
      const reached = ready.reach(generation, expected);
      try {
        for (;;) {
          const readyAt = await Promise.race([reached, sleep(EXIT_CHECK_MS)]);
          if (readyAt !== undefined) return readyAt;
          if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(
              `${operator.name} exited (${child.exitCode ?? child.signalCode}) during ${phase}; see ${logDir}`,
            );
          if (performance.now() > deadline)
            throw new Error(
              `${operator.name}: ${phase} not Ready after ${timeoutMs} ms (${ready.count(generation)}/${expected})`,
            );
        }
      } finally {
        ready.forget();
      }
    };

    const log = openSync(join(logDir, `${operator.name}-n${count}-w${workers}-${Date.now()}.log`), 'w');
    const spawnedAt = performance.now();
    child = spawn(operator.command, operator.args, {
      env: {
        ...process.env,
        ...extraEnv,
        ...operator.env,
        KUBECONFIG: plane.kubeconfigPath,
        WIDGET_WORKERS: String(workers),
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const result = { operator: operator.name, count, workers };
    result.startupMs = (await waitReady(1, 1, 'startup')) - spawnedAt;

    const phase = async (name, generation, write) => {
      const cpuBefore = cpuSeconds(child.pid);
      const startedAt = performance.now();
      await inParallel(count, write);
      const writtenAt = performance.now();
      const readyAt = await waitReady(generation, count + (generation === 1 ? 1 : 0), name);
      const { rssMiB, peakRssMiB } = memory(child.pid);
      Object.assign(result, {
        [`${name}WritesMs`]: writtenAt - startedAt,
        [`${name}ReadyMs`]: readyAt - startedAt,
        [`${name}CpuS`]: cpuSeconds(child.pid) - cpuBefore,
        [`${name}PeakRssMiB`]: peakRssMiB,
        [`${name}RssMiB`]: rssMiB,
      });
    };
    await phase('create', 1, (i) => client.create(WidgetKind, widget(`w-${i}`, 1)));
    await phase('update', 2, (i) =>
      client.patch(
        WidgetKind,
        { namespace: NAMESPACE, name: `w-${i}` },
        { type: 'merge', body: { spec: { size: 2 } } },
      ),
    );
    await sleep(idleMs);
    result.idleRssMiB = memory(child.pid).rssMiB;
    return result;
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) await terminate(child);
    stop.abort();
    client.close();
    await plane.stop();
  }
}

/**
 * Counts the Widgets that are Ready at each `status.observedGeneration`, from the informer's events.
 * `reach(generation, expected)` resolves with the time the count first reaches `expected`.
 */
function readyCounter(isStatusConditionTrue) {
  const generationOf = new Map();
  const counts = new Map();
  let waiter;
  const readyGeneration = (w) =>
    isStatusConditionTrue(w.status?.conditions, 'Ready') ? (w.status?.observedGeneration ?? 0) : undefined;
  const set = (name, generation) => {
    const previous = generationOf.get(name);
    if (previous === generation) return;
    if (previous !== undefined) counts.set(previous, counts.get(previous) - 1);
    if (generation === undefined) generationOf.delete(name);
    else {
      generationOf.set(name, generation);
      counts.set(generation, (counts.get(generation) ?? 0) + 1);
      if (waiter && generation === waiter.generation && counts.get(generation) >= waiter.expected)
        waiter.resolve(performance.now());
    }
  };
  const count = (generation) => counts.get(generation) ?? 0;
  return {
    handler: {
      onAdd: (w) => set(w.metadata.name, readyGeneration(w)),
      onUpdate: (_, w) => set(w.metadata.name, readyGeneration(w)),
      onDelete: (w) => set(w.metadata.name, undefined),
    },
    count,
    reach(generation, expected) {
      if (count(generation) >= expected) return Promise.resolve(performance.now());
      return new Promise((resolve) => {
        waiter = { generation, expected, resolve };
      });
    },
    forget() {
      waiter = undefined;
    },
  };
}

function widget(name, size) {
  return {
    metadata: { name, namespace: NAMESPACE },
    spec: { size, data: { color: 'blue', owner: 'bench', note: 'x'.repeat(64) } },
  };
}

/** Runs `write(i)` for i in [0, count) with at most PARALLEL_WRITES in flight. */
async function inParallel(count, write) {
  let next = 0;
  const worker = async () => {
    while (next < count) await write(next++);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, count) }, worker));
}

/** SIGTERM, then SIGKILL after 30 s; resolves when the process has exited. */
async function terminate(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(killer);
}
