// Informer cache figures: time to list+watch-sync N ConfigMaps (~1 KiB each) and the operator
// process's RSS idling with them cached — full objects, metadata only, and with the kubeconfig
// path (which loads @kubernetes/client-node) — against a bare process that only imports the runtime.
// Run: npm run build && node bench/informer-cache.js [objects=1000]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { seedConfigMaps } from './seed-configmaps.js';

const IDLE_MS = 5_000;
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await parent(Number(process.argv[2] ?? 1000));

async function parent(count) {
  const { startControlPlane } = await import('../dist/envtest/index.js');
  const plane = await startControlPlane();
  try {
    await seedConfigMaps(plane.restConfig, count);
    const configFile = `${plane.runDir}/bench-rest-config.json`;
    writeFileSync(configFile, JSON.stringify(plane.restConfig));
    const modes = [
      ['baseline', configFile],
      ['full', configFile],
      ['metadata', configFile],
      ['kubeconfig', plane.kubeconfigPath],
    ];
    for (const [mode, file] of modes) {
      const out = execFileSync(process.execPath, ['--expose-gc', self, '--child', mode, file], { encoding: 'utf8' });
      console.log(JSON.stringify({ objects: count, ...JSON.parse(out) }));
    }
  } finally {
    await plane.stop();
  }
}

async function child(mode, file) {
  const runtime = await import('../dist/runtime/index.js');
  const { newCache } = await import('../dist/runtime/cache/index.js');
  const imported = process.uptime();
  const result = { mode, importMs: Math.round(imported * 1000) };
  if (mode !== 'baseline') {
    const restConfig =
      mode === 'kubeconfig' ? runtime.loadRestConfig({ kubeconfig: file }) : JSON.parse(readFileSync(file, 'utf8'));
    const client = runtime.newClient(restConfig);
    const cache = newCache(client, {
      namespace: 'bench',
      metadataOnly: mode === 'metadata' ? [runtime.ConfigMap] : [],
    });
    const informer = cache.informerFor(runtime.ConfigMap);
    const stop = new AbortController();
    const startedAt = performance.now();
    void cache.start(stop.signal);
    await cache.waitForCacheSync(stop.signal);
    result.syncMs = Math.round(performance.now() - startedAt);
    result.cached = informer.list().length;
    result.processToSyncedMs = Math.round(process.uptime() * 1000);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    globalThis.gc?.();
    Object.assign(result, memory());
    stop.abort();
    client.close();
  } else {
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    globalThis.gc?.();
    Object.assign(result, memory());
  }
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

function memory() {
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  const status = readFileSync('/proc/self/status', 'utf8');
  const mib = (bytes) => Math.round(bytes / 2 ** 20);
  return {
    rssMiB: mib(rss),
    peakRssMiB: mib(Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) * 1024),
    heapUsedMiB: mib(heapUsed),
    heapTotalMiB: mib(heapTotal),
    externalMiB: mib(external),
  };
}
