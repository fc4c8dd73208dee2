// Watch faults, measured through envtest's fault proxy (issue 21); not a test, nothing is asserted.
// 1. Freeze to recovery: a kubeforge informer's watch is frozen (open connection, no events) right
//    after it delivered an event; the time from the freeze until an object created then reaches the
//    cache, median of --runs, with the liveness window --liveness-ms (recovery ≈ window + reconnect).
//    client-node's informer gets one frozen watch too, waited for at most --cap-s.
// 2. A --storm-s 429 storm (Retry-After: 1) on the lists and watches of one namespace, started by
//    expiring the open watch (410 → relist): the requests each informer sends meanwhile, counted by
//    the proxy. client-node's informer stops on an error; it is restarted as its README shows
//    (after 5 s) and, as often seen, at once.
// Run: npm run build && node bench/watch-faults.js [--runs 10] [--liveness-ms 5000] [--storm-s 60] [--cap-s 60]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import * as k8s from '@kubernetes/client-node';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'liveness-ms': { type: 'string', default: '5000' },
    'storm-s': { type: 'string', default: '60' },
    'cap-s': { type: 'string', default: '60' },
  },
});
const runs = Number(values.runs);
const livenessMs = Number(values['liveness-ms']);
const stormMs = Number(values['storm-s']) * 1000;
const capMs = Number(values['cap-s']) * 1000;

const { startControlPlane } = await import('../dist/envtest/index.js');
const runtime = await import('../dist/runtime/index.js');
const { SharedInformer } = await import('../dist/runtime/cache/index.js');
const { ConfigMap, Namespace, newClient } = runtime;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const plane = await startControlPlane({ faults: true });
const { faults } = plane;
const direct = newClient(plane.apiServer.restConfig, { qps: -1 });
try {
  for (const name of [
    'freeze',
    'storm-kubeforge',
    'storm-client-node-5s',
    'storm-client-node-0s',
    'freeze-client-node',
  ])
    await direct.create(Namespace, { metadata: { name } });
  const results = {};

  // 1. Freeze to recovery, kubeforge.
  const client = newClient(plane.restConfig);
  const informer = new SharedInformer(client, ConfigMap, { namespace: 'freeze', idleTimeoutMs: livenessMs });
  const stop = new AbortController();
  const running = informer.start(stop.signal);
  await informer.waitForSync(stop.signal);
  const recoveries = [];
  for (let i = 0; i < runs; i++) {
    const before = `before-${i}`;
    await direct.create(ConfigMap, { metadata: { name: before, namespace: 'freeze' } });
    await until(() => informer.get({ namespace: 'freeze', name: before }) !== undefined, 60_000);
    faults.freezeWatches({ namespace: 'freeze', verbs: 'watch', times: 1 });
    const frozenAt = performance.now();
    await direct.create(ConfigMap, { metadata: { name: `after-${i}`, namespace: 'freeze' } });
    await until(() => informer.get({ namespace: 'freeze', name: `after-${i}` }) !== undefined, 10 * livenessMs);
    recoveries.push(Math.round(performance.now() - frozenAt));
    faults.reset();
  }
  results.freezeToRecovery = {
    livenessWindowMs: livenessMs,
    medianMs: median(recoveries),
    runsMs: recoveries,
    stalls: informer.stats.stalls,
    relists: informer.stats.lists - 1,
  };
  stop.abort();
  await running;
  client.close();

  // 1b. Freeze, client-node.
  const kc = new k8s.KubeConfig();
  kc.loadFromString(plane.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const nodeInformer = (namespace) =>
    k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace }),
    );
  {
    const watched = nodeInformer('freeze-client-node');
    await watched.start();
    await direct.create(ConfigMap, { metadata: { name: 'before', namespace: 'freeze-client-node' } });
    await until(() => watched.get('before', 'freeze-client-node') !== undefined, 60_000);
    faults.freezeWatches({ namespace: 'freeze-client-node', verbs: 'watch', times: 1 });
    const frozenAt = performance.now();
    await direct.create(ConfigMap, { metadata: { name: 'after', namespace: 'freeze-client-node' } });
    const recovered = await until(() => watched.get('after', 'freeze-client-node') !== undefined, capMs);
    results.freezeClientNode = recovered
      ? { recoveredMs: Math.round(performance.now() - frozenAt) }
      : { recovered: false, waitedMs: capMs };
    await watched.stop();
    faults.reset();
  }

  // 2. 429 storms.
  const storm = async (namespace, start) => {
    await direct.create(ConfigMap, { metadata: { name: 'seed', namespace } });
    const stopInformer = await start(namespace);
    await sleep(1000);
    faults.reset();
    faults.fail({ status: 429, retryAfterSeconds: 1, verbs: ['list', 'watch'], resources: 'configmaps', namespace });
    faults.expireWatches({ namespace });
    await sleep(stormMs);
    const requests = faults.count({ resources: 'configmaps', namespace });
    await stopInformer();
    faults.reset();
    return { requests, perSecond: Number((requests / (stormMs / 1000)).toFixed(1)) };
  };
  results.storm429 = { seconds: stormMs / 1000 };
  results.storm429.kubeforge = await storm('storm-kubeforge', async (namespace) => {
    const stormClient = newClient(plane.restConfig);
    const stormInformer = new SharedInformer(stormClient, ConfigMap, { namespace });
    const abort = new AbortController();
    const done = stormInformer.start(abort.signal);
    await stormInformer.waitForSync(abort.signal);
    return async () => {
      abort.abort();
      await done;
      stormClient.close();
    };
  });
  for (const [label, delayMs] of [
    ['clientNodeRestartAfter5s', 5000],
    ['clientNodeRestartAtOnce', 0],
  ]) {
    results.storm429[label] = await storm(`storm-client-node-${delayMs / 1000}s`, async (namespace) => {
      const watched = nodeInformer(namespace);
      let stopped = false;
      watched.on('error', () => {
        if (!stopped) setTimeout(() => !stopped && watched.start().catch(() => {}), delayMs);
      });
      await watched.start();
      return async () => {
        stopped = true;
        await watched.stop();
      };
    });
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  direct.close();
  await plane.stop();
}
