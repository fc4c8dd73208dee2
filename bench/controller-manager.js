// Control-plane figures on envtest: a manager with one trivial controller over N ConfigMaps
// (~1 KiB each) in a child process — process start to first reconcile, reconciles per second
// for the initial sync and for a re-enqueue of every key, and idle RSS with the N objects
// cached — for the runtime loaded from dist/ and from one esbuild bundle (how operators ship).
// Run: npm run build && node bench/controller-manager.js [objects=1000] [workers=1]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { seedConfigMaps } from './seed-configmaps.js';

const IDLE_MS = 5_000;
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') await child(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
else await parent(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 1));

async function parent(count, workers) {
  const { startControlPlane } = await import('../dist/envtest/index.js');
  const { build } = await import('esbuild');
  const plane = await startControlPlane();
  try {
    await seedConfigMaps(plane.restConfig, count);
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-bench-'));
    const configFile = join(dir, 'rest-config.json');
    writeFileSync(configFile, JSON.stringify(plane.restConfig));
    const bundled = join(dir, 'runtime.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('../dist/runtime/index.js', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundled,
      logLevel: 'error',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    for (const [mode, module] of [
      ['dist', '../dist/runtime/index.js'],
      ['bundle', bundled],
    ]) {
      const out = execFileSync(process.execPath, ['--expose-gc', self, '--child', mode, count, workers], {
        encoding: 'utf8',
        env: { ...process.env, BENCH_REST_CONFIG: configFile, BENCH_RUNTIME: module },
      });
      console.log(JSON.stringify({ objects: count, workers, ...JSON.parse(out) }));
    }
  } finally {
    await plane.stop();
  }
}

async function child(mode, count, workers) {
  const runtime = await import(process.env.BENCH_RUNTIME);
  const result = { mode, importMs: Math.round(process.uptime() * 1000) };
  const mgr = await runtime.newManager({
    restConfig: JSON.parse(readFileSync(process.env.BENCH_REST_CONFIG, 'utf8')),
    namespace: 'bench',
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
    logLevel: 'warn',
  });
  let reconciled = 0;
  let target = count;
  let firstAt = 0;
  let onTarget;
  const controller = runtime
    .controllerFor(mgr, runtime.ConfigMap)
    .withOptions({ maxConcurrentReconciles: workers })
    .complete({
      async reconcile(request) {
        await mgr.client.get(runtime.ConfigMap, request);
        if (++reconciled === 1) {
          firstAt = performance.now();
          result.processStartToFirstReconcileMs = Math.round(process.uptime() * 1000);
        }
        if (reconciled === target) onTarget(performance.now());
        return runtime.Result.done();
      },
    });
  const stop = new AbortController();
  const running = mgr.start(stop.signal);
  const syncedAt = await new Promise((resolve) => (onTarget = resolve));
  result.initialSyncReconcilesPerSec = Math.round((count - 1) / ((syncedAt - firstAt) / 1000));
  target += count;
  const enqueuedAt = performance.now();
  const done = new Promise((resolve) => (onTarget = resolve));
  for (let i = 0; i < count; i++) controller.enqueue({ namespace: 'bench', name: `cm-${i}` });
  result.requeueAllReconcilesPerSec = Math.round(count / (((await done) - enqueuedAt) / 1000));
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  result.idleRssMiB = Math.round(rss / 1048576);
  result.heapUsedMiB = Math.round(heapUsed / 1048576);
  stop.abort();
  await running;
  process.stdout.write(JSON.stringify(result));
}
