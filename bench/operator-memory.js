// Where the Widget operator's memory goes: one reconcile scenario (create N, update N, idle) of
// the bundled kubeforge Widget operator, with a preload that samples the operator's
// process.memoryUsage() and V8 heap spaces every 500 ms into a JSON-lines file; prints RSS vs
// heap vs external/arrayBuffers at the create peak, after update and at the end of the idle period.
// Run: npm run build && node bench/operator-memory.js [N=1000] [idle-s=20] [-- node flags]
// (node flags default to none, not the Dockerfile's, so flags can be compared against Node's defaults).
// HEAP_SNAPSHOT=1 also writes a heap snapshot of the operator when it is stopped after the idle period.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKubeforgeWidget } from './reconcile/kubeforge-widget.js';
import { runScenario } from './reconcile/scenario.js';

const dash = process.argv.indexOf('--');
const args = dash === -1 ? process.argv.slice(2) : process.argv.slice(2, dash);
const nodeFlags = dash === -1 ? [] : process.argv.slice(dash + 1);
const count = Number(args[0] ?? 1000);
const idleMs = Number(args[1] ?? 20) * 1000;

const workDir = mkdtempSync(join(tmpdir(), 'kubeforge-memory-'));
const widget = buildKubeforgeWidget(workDir, 1);
const samples = join(workDir, 'memory.jsonl');
const preload = join(workDir, 'sample-memory.mjs');
writeFileSync(
  preload,
  `import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
const mib = (b) => Math.round((b / 2 ** 20) * 10) / 10;
setInterval(() => {
  const usage = process.memoryUsage();
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, mib(s.space_size)]));
  const line = { t: Math.round(process.uptime() * 1000), ...Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, mib(v)])), spaces };
  appendFileSync(${JSON.stringify(samples)}, JSON.stringify(line) + '\\n');
}, 500).unref();
if (${JSON.stringify(Boolean(process.env.HEAP_SNAPSHOT))})
  process.once('SIGTERM', () => writeHeapSnapshot(${JSON.stringify(join(workDir, 'idle.heapsnapshot'))}));
`,
);
const result = await runScenario({
  operator: {
    name: 'kubeforge',
    command: process.execPath,
    args: [
      ...nodeFlags,
      '--import',
      preload,
      widget.bundle,
      '--metrics-bind-address=0',
      '--health-probe-bind-address=0',
      '--kube-api-qps=-1', // as bench/run.js and the Go twin: no client-side rate limit
    ],
  },
  count,
  workers: 1,
  idleMs,
  crdDir: widget.crdDir,
  logDir: workDir,
  timeoutMs: Math.max(120_000, count * 200),
});
const lines = readFileSync(samples, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const peak = lines.reduce((best, line) => (line.rss > best.rss ? line : best));
const round = (value) => Math.round(value * 10) / 10;
console.log(
  JSON.stringify({
    count,
    nodeFlags: nodeFlags.join(' '),
    createPeakRssMiB: round(result.createPeakRssMiB),
    updatePeakRssMiB: round(result.updatePeakRssMiB),
    idleRssMiB: round(result.idleRssMiB),
    createReadyS: round(result.createReadyMs / 1000),
    createCpuS: round(result.createCpuS),
    updateReadyS: round(result.updateReadyMs / 1000),
    updateCpuS: round(result.updateCpuS),
  }),
);
console.log('at RSS peak:', JSON.stringify(peak));
console.log('last sample:', JSON.stringify(lines.at(-1)));
if (process.env.HEAP_SNAPSHOT)
  console.log('heap snapshot at the end of the idle period:', join(workDir, 'idle.heapsnapshot'));
