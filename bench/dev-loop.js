// Save-to-reconcile of the dev loop (`kubeforge run --watch`, what a generated project's
// `npm run dev` runs): a fresh one-kind project on a local control plane; each round edits the
// controller to stamp a new label value on the Widget it reconciles and measures from the file
// write until the apiserver shows the label. Prints every round and the median.
//   npm run build && node bench/dev-loop.js [--rounds 7]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startControlPlane } from '../dist/envtest/index.js';
import { defineKind, newClient } from '../dist/runtime/index.js';
import { linkDependencies, scaffoldWidget } from './reconcile/kubeforge-widget.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const rounds = Number(values.rounds);
const repo = new URL('..', import.meta.url).pathname;
const projectDir = join(mkdtempSync(join(tmpdir(), 'kubeforge-bench-dev-loop-')), 'widget');
scaffoldWidget(projectDir);
linkDependencies(projectDir);
const controllerFile = join(projectDir, 'src/controllers/widget.controller.ts');
const original = readFileSync(controllerFile, 'utf8');
const anchor = "    ctx.log.info({ generation }, 'reconciling Widget');";
if (!original.includes(anchor)) throw new Error(`the scaffolded controller no longer has the line: ${anchor}`);

const Widget = defineKind({
  group: 'bench.example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
});
const plane = await startControlPlane();
const client = newClient(plane.restConfig, { qps: -1 });
let output = '';
const loop = spawn(
  process.execPath,
  [join(repo, 'bin/kubeforge.js'), 'run', '--watch', '--kubeconfig', plane.kubeconfigPath],
  {
    cwd: projectDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
loop.stdout.on('data', (chunk) => (output += chunk));
loop.stderr.on('data', (chunk) => (output += chunk));
const until = async (what, condition) => {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10)))
    if (await condition()) return;
  throw new Error(`timed out waiting for ${what}; dev loop output:\n${output}`);
};
const key = { namespace: 'default', name: 'bench' };
const labelOf = async () => (await client.get(Widget, key))?.metadata?.labels?.['dev-loop'];
try {
  await until('the dev loop to start the operator', () => output.includes('[dev] operator started'));
  await client.create(Widget, { apiVersion: Widget.apiVersion, kind: 'Widget', metadata: key, spec: {} });
  const times = [];
  for (let round = 1; round <= rounds; round++) {
    const restarts = output.split('[dev] operator restarted').length;
    const stamp = `${anchor}\n    await this.client.patch(WidgetKind, request, { type: 'merge', body: { metadata: { labels: { 'dev-loop': 'v${round}' } } } });`;
    const savedAt = performance.now();
    writeFileSync(controllerFile, original.replace(anchor, stamp));
    await until(`label v${round}`, async () => (await labelOf()) === `v${round}`);
    times.push(Math.round(performance.now() - savedAt));
    await until('the restart line', () => output.split('[dev] operator restarted').length > restarts);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`save-to-reconcile ms per round: ${times.join(' ')}`);
  console.log(
    `median ${sorted[Math.floor(sorted.length / 2)]} ms over ${rounds} rounds (load average ${loadavg()[0].toFixed(1)})`,
  );
} finally {
  loop.kill('SIGINT');
  client.close();
  await plane.stop();
}
