// Control-plane start/stop times (median of N) with and without kube-controller-manager, and
// the idle RSS of etcd + kube-apiserver. Run: npm run build && node bench/envtest-start.js [runs]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startControlPlane } from '../dist/envtest/index.js';

const runs = Number(process.argv[2] ?? 5);
const IDLE_MS = 20_000;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

for (const controllerManager of [false, true]) {
  const starts = [];
  const stops = [];
  let idle;
  for (let i = 0; i < runs; i++) {
    const startedAt = performance.now();
    const controlPlane = await startControlPlane({ controllerManager });
    starts.push(performance.now() - startedAt);
    if (i === 0) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      const pids = controlPlane.pids();
      idle = Object.fromEntries(
        Object.entries(pids)
          .filter(([, pid]) => pid)
          .map(([name, pid]) => [name, Math.round(rssMiB(pid))]),
      );
    }
    const stoppingAt = performance.now();
    await controlPlane.stop();
    stops.push(performance.now() - stoppingAt);
  }
  const ms = (values) => values.map((value) => Math.round(value));
  console.log(
    JSON.stringify({
      controllerManager,
      runs,
      startMedianMs: Math.round(median(starts)),
      startsMs: ms(starts),
      stopMedianMs: Math.round(median(stops)),
      idleRssMiB: idle,
    }),
  );
}
