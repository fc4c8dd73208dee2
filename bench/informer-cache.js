// Informer cache figures: time to list+watch-sync N ConfigMaps (~1 KiB each) and the operator
// process's RSS idling with them cached — full objects, metadata only, and with the kubeconfig
// path (which loads @kubernetes/client-node) — against a bare process that only imports the runtime.
// Each mode runs in a child process of its own; CPU is the child's user+sys seconds up to synced.
// Run: npm run build && node bench/informer-cache.js [--count 1000] [--modes baseline,full,metadata,kubeconfig]
// `benchMetadataWatch({ count })` (used by bench/run.js) runs the metadata-only mode alone.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seedConfigMaps } from './seed-configmaps.js';

const IDLE_MS = 5_000;
const ALL_MODES = ['baseline', 'full', 'metadata', 'kubeconfig'];
const SEED_IN_FLIGHT = 100;
const self = fileURLToPath(import.meta.url);

/**
 * Seeds `count` ConfigMaps on a fresh envtest control plane, then measures a separate process
 * running a metadata-only informer over them: list+watch sync time and RSS after idling.
 */
export async function benchMetadataWatch({ count, log = () => {} }) {
  const [result] = await measureModes(count, ['metadata'], log);
  return {
    count,
    seedMs: result.seedMs,
    syncMs: result.syncMs,
    idleRssMiB: result.rssMiB,
    peakRssMiB: result.peakRssMiB,
  };
}

async function measureModes(count, modes, log) {
  const { startControlPlane } = await import('../dist/envtest/index.js');
  const plane = await startControlPlane();
  try {
    log(`seeding ${count} ConfigMaps`);
    const seedMs = await seedConfigMaps(plane.restConfig, count, undefined, SEED_IN_FLIGHT);
    log(`seeded ${count} ConfigMaps in ${(seedMs / 1000).toFixed(1)} s`);
    const configFile = `${plane.runDir}/bench-rest-config.json`;
    writeFileSync(configFile, JSON.stringify(plane.restConfig));
    const results = [];
    for (const mode of modes) {
      const file = mode === 'kubeconfig' ? plane.kubeconfigPath : configFile;
      const out = execFileSync(process.execPath, ['--expose-gc', self, '--child', mode, file], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      const result = { objects: count, seedMs, ...JSON.parse(out) };
      log(JSON.stringify(result));
      results.push(result);
    }
    return results;
  } finally {
    await plane.stop();
  }
}

/** One mode in this process; BENCH_DIST points at another build of dist/ (to compare two). */
async function child(mode, file) {
  const dist = process.env.BENCH_DIST ?? new URL('../dist', import.meta.url).pathname;
  const runtime = await import(`${dist}/runtime/index.js`);
  const { newCache } = await import(`${dist}/runtime/cache/index.js`);
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
    const cpuAtStart = process.cpuUsage();
    void cache.start(stop.signal);
    await cache.waitForCacheSync(stop.signal);
    result.syncMs = Math.round(performance.now() - startedAt);
    const cpu = process.cpuUsage(cpuAtStart);
    result.syncCpuS = Math.round((cpu.user + cpu.system) / 1e4) / 100;
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

if (process.argv[1] === self) {
  if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
  else {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { count: { type: 'string' }, modes: { type: 'string' } },
    });
    const count = Number(values.count ?? positionals[0] ?? 1000);
    const modes = values.modes ? values.modes.split(',') : ALL_MODES;
    const unknown = modes.filter((mode) => !ALL_MODES.includes(mode));
    if (unknown.length > 0) throw new Error(`unknown modes ${unknown.join(', ')} (known: ${ALL_MODES.join(', ')})`);
    await measureModes(count, modes, (line) => console.log(line));
  }
}
