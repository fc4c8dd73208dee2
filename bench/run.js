// `npm run bench [-- --quick]`: kubeforge side by side with its Go references and its TypeScript
// peers on this machine, in one run — the Widget reconcile benchmark (kubeforge operator bundle,
// a controller-runtime v0.25.2 twin, a @kubernetes/client-node operator and a
// kubernetes-fluent-client one: bench/peers), its scale curve over N (table and SVG plot), a
// metadata-only watch of many ConfigMaps, `kubeforge manifests` vs controller-gen v0.23.0 on
// 1/20/50-kind twins, envtest start, `init` + `create api` and the recorded `npm test` wall time.
// Prints the markdown tables and writes bench/results/<date>[-label].md and .svg; a full run (no
// --quick, no --label) also refreshes bench/README.md.
// Options: --quick (N=200, 1 repetition, watch 5000 ConfigMaps, 10 s idle; every operator)
//          --counts 1000,5000,20000 --reps 3,1,1 (per count; the last for the rest) --idle-s 30
//          --workers 1,4 (every worker count up to --workers-max-count 5000, the first one above)
//          --peer-max-count client-node=5000,fluent-client=1000 (a TS peer is not run above its N; N alone: every peer)
//          --watch-counts 100000 (the metadata-only watch)
//          --only reconcile,scale,generation,other --cpu-prof (profile one kubeforge run)
//          --label NAME (writes results/<date>-NAME.md/.svg and leaves the README alone)
//          --http2 off (the kubeforge operator talks HTTP/1.1: DISABLE_HTTP2=1; default on, as client-go)
//          --npm-test (only time `npm test` once and record it in bench/results/npm-test.json)
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { controllerGenPath } from './controller-gen.js';
import { benchGeneration } from './generation/twin-projects.js';
import { benchMetadataWatch } from './informer-cache.js';
import { preparePeerOperators } from './peers/index.js';
import { summarizeCpuProfile } from './reconcile/cpu-profile.js';
import { RECONCILE_FIGURES, benchReconcile, roundAll } from './reconcile/benchmark.js';
import { buildKubeforgeWidget } from './reconcile/kubeforge-widget.js';
import { runScenario } from './reconcile/scenario.js';
import { scalePlotSvg } from './report/plot.js';
import { publishResults } from './report/publish.js';
import { peerMaxCounts, reconcileBatches, reconcileRows, scaleCurveRows, scaleCurves } from './report/reconcile.js';
import { machineLine, markdownTable, median } from './report.js';

const repo = new URL('..', import.meta.url).pathname;
const benchCache = process.env.KUBEFORGE_BENCH_DIR ?? join(homedir(), '.cache', 'kubeforge', 'bench');
const goOperator = join(benchCache, 'widget-operator-go');
const npmTestRecord = join(repo, 'bench', 'results', 'npm-test.json');
const PARTS = ['reconcile', 'scale', 'generation', 'other'];
const PEERS = ['client-node', 'fluent-client'];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    counts: { type: 'string' },
    workers: { type: 'string', default: '1,4' },
    'workers-max-count': { type: 'string', default: '5000' },
    'peer-max-count': { type: 'string', default: 'client-node=5000,fluent-client=1000' },
    reps: { type: 'string' },
    'idle-s': { type: 'string' },
    'watch-counts': { type: 'string' },
    only: { type: 'string', default: PARTS.join(',') },
    'cpu-prof': { type: 'boolean', default: false },
    'npm-test': { type: 'boolean', default: false },
    label: { type: 'string' },
    http2: { type: 'string', default: 'on' },
  },
});
if (!['on', 'off'].includes(flags.http2)) throw new Error(`--http2: expected on or off, got "${flags.http2}"`);
const unknownParts = flags.only.split(',').filter((part) => !PARTS.includes(part));
if (unknownParts.length > 0) throw new Error(`--only: unknown ${unknownParts.join(', ')} (parts: ${PARTS.join(', ')})`);
const numbers = (text, flag) =>
  text.split(',').map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${flag}: expected positive integers separated by commas, got "${text}"`);
    return value;
  });
const config = {
  counts: numbers(flags.counts ?? (flags.quick ? '200' : '1000,5000,20000'), 'counts'),
  workerCounts: numbers(flags.workers, 'workers'),
  workersMaxCount: numbers(flags['workers-max-count'], 'workers-max-count')[0],
  peerMaxCounts: peerMaxCounts(flags['peer-max-count'], PEERS),
  reps: numbers(flags.reps ?? (flags.quick ? '1' : '3,1,1'), 'reps'),
  idleMs: numbers(flags['idle-s'] ?? (flags.quick ? '10' : '30'), 'idle-s')[0] * 1000,
  watchCounts: numbers(flags['watch-counts'] ?? (flags.quick ? '5000' : '100000'), 'watch-counts'),
  generationRuns: 5,
  kindCounts: [1, 20, 50],
  only: new Set(flags.only.split(',')),
};
const log = (line) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

if (flags['npm-test']) {
  recordNpmTest();
  process.exit(0);
}
const date = new Date().toISOString().slice(0, 10);
const suffix = flags.label ? `-${flags.label}` : flags.quick ? '-quick' : '';
const plotFile = `${date}${suffix}.svg`;
const machineAtStart = machineLine();
const work = mkdtempSync(join(tmpdir(), 'kubeforge-bench-'));
/** The published sections: `{ heading, table, notes }`, in order. */
const sections = [];
const raw = {};
let plotSvg;
try {
  log(`machine: ${machineAtStart}; work dir ${work}`);
  // the bundled kubeforge Widget operator: the reconcile part runs it, `other` reports its figures
  const widget =
    config.only.has('reconcile') || config.only.has('other')
      ? buildKubeforgeWidget(work, flags.quick ? 3 : 5)
      : undefined;
  if (widget)
    log(`kubeforge Widget operator bundled: ${widget.bundle} (${(widget.bundleBytes / 1024).toFixed(0)} KiB)`);
  if (config.only.has('reconcile')) await reconcilePart(widget);
  if (config.only.has('scale')) await metadataWatchPart();
  if (config.only.has('generation') || config.only.has('other')) await generationAndOtherPart(widget);
} finally {
  rmSync(work, { recursive: true, force: true });
}
const scale = [
  config.only.has('reconcile') &&
    `N = ${config.counts.join(', ')}; workers ${config.workerCounts.join(' and ')} (up to N = ${config.workersMaxCount}); repetitions ${config.reps.join(' / ')}; idle ${config.idleMs / 1000} s; TS peers up to N = ${Object.entries(
      config.peerMaxCounts,
    )
      .map(([name, count]) => `${count} (${name})`)
      .join(', ')}`,
  config.only.has('scale') && `metadata-only watch of ${config.watchCounts.join(', ')} ConfigMaps`,
  flags.quick && '--quick',
  flags.http2 === 'off' && 'kubeforge over HTTP/1.1 (--http2 off)',
]
  .filter(Boolean)
  .join('; ');
await publishResults({
  resultsDir: join(repo, 'bench', 'results'),
  name: `${date}${suffix}`,
  title: `Benchmarks ${date}`,
  preamble: [
    `Machine at start: ${machineAtStart}.\nMachine at end: ${machineLine()}.`,
    `Scale: ${scale || 'generation and other figures only'}.`,
  ],
  sections,
  raw,
  plotSvg,
  readme: flags.quick || flags.label ? undefined : join(repo, 'bench', 'README.md'),
  log,
});

/** Every operator on every (N, workers) batch; the reconcile table, the scale curve and its plot. */
async function reconcilePart(widget) {
  const kubeforgeOperator = {
    name: 'kubeforge',
    command: process.execPath,
    // node started as the generated Dockerfile starts it (its ENTRYPOINT flags and NODE_OPTIONS);
    // no client-side rate limit, as the Go twin (QPS = -1)
    args: [
      ...widget.nodeArgs,
      widget.bundle,
      '--metrics-bind-address=0',
      '--health-probe-bind-address=0',
      '--kube-api-qps=-1',
    ],
    env: { NODE_OPTIONS: widget.nodeOptions, ...(flags.http2 === 'off' ? { DISABLE_HTTP2: '1' } : {}) },
  };
  ensureBuilt(goOperator, join(repo, 'bench', 'go-twin'), [join(repo, 'bench', 'go-twin', 'build.sh')]);
  const peers = await preparePeerOperators({ workDir: work, log });
  const operators = [kubeforgeOperator, { name: 'go', command: goOperator, args: [] }, ...peers];
  const available = operators.filter((operator) => !operator.unavailable);
  const peerNames = peers.filter((peer) => !peer.unavailable).map((peer) => peer.name);
  const runs = [];
  for (const batch of reconcileBatches(config)) {
    const { runs: batchRuns } = await benchReconcile({
      ...config,
      ...batch,
      operators: available,
      maxCountByOperator: config.peerMaxCounts,
      crdDir: widget.crdDir,
      logDir: join(work, 'logs'),
      log,
    });
    // a peer left out above --peer-max-count is one note, not a failed run per N
    runs.push(...batchRuns.filter((run) => !(run.count > (config.peerMaxCounts[run.operator] ?? Infinity))));
  }
  raw.reconcile = runs.map(roundAll);
  const names = available.map((operator) => operator.name);
  const columns = { columns: names, ratios: names.slice(1).map((_, index) => [0, index + 1]) };
  const { rows, notes } = reconcileRows({ runs, operators: names, figures: RECONCILE_FIGURES });
  for (const peer of peers.filter((operator) => operator.unavailable))
    notes.unshift(`${peer.name}: not run, unavailable on this machine (${peer.unavailable}).`);
  for (const name of peerNames) {
    const limit = config.peerMaxCounts[name];
    if (config.counts.some((count) => count > limit))
      notes.push(`${name}: not run above N = ${limit} (\`--peer-max-count\`).`);
  }
  if (config.counts.some((count) => count > config.workersMaxCount) && config.workerCounts.length > 1)
    notes.push(
      `Above N = ${config.workersMaxCount} only ${config.workerCounts[0]} worker${config.workerCounts[0] > 1 ? 's' : ''} (\`--workers-max-count\`).`,
    );
  sections.push({ heading: 'Reconcile', table: markdownTable({ ...columns, rows }), notes });

  const workers = config.workerCounts[0];
  const curves = scaleCurves({ runs, operators: names, workers });
  const workersText = `${workers} worker${workers > 1 ? 's' : ''}`;
  plotSvg = scalePlotSvg({
    curves,
    panels: [
      { figure: 'createReadyS', title: `create N Widgets: time to all Ready (${workersText})`, unit: 's' },
      {
        figure: 'idleRssMiB',
        title: `operator idle RSS after ${config.idleMs / 1000} s (${workersText})`,
        unit: 'MiB',
      },
    ],
    caption: `bench ${date}${suffix}: medians; load average at start ${machineAtStart.match(/load average ([\d.]+)/)[1]}`,
  });
  sections.push({
    heading: `Scale curve (${workersText})`,
    table: markdownTable({ ...columns, rows: scaleCurveRows(curves) }),
    notes: [`![time to all Ready and idle RSS versus N, per operator](${plotFile})`],
  });
  if (flags['cpu-prof']) sections.push({ notes: [await profileKubeforge(kubeforgeOperator, widget)] });
}

/** kubeforge's informer over many ConfigMaps, metadata only (bench/informer-cache.js). */
async function metadataWatchPart() {
  const rows = [];
  raw.metadataWatch = [];
  for (const count of config.watchCounts) {
    log(`metadata-only watch of ${count} ConfigMaps`);
    const result = await benchMetadataWatch({ count, log });
    raw.metadataWatch.push(roundAll(result));
    rows.push(
      { section: `N = ${count} ConfigMaps (one run)` },
      { measure: 'list + watch sync', unit: 's', values: [result.syncMs / 1000] },
      { measure: 'idle RSS', unit: 'MiB', values: [result.idleRssMiB] },
    );
  }
  sections.push({
    heading: 'Scale: metadata-only watch (kubeforge informer, ConfigMaps of ~1 KiB)',
    table: markdownTable({ columns: ['kubeforge'], rows }),
    notes: [],
  });
}

/** `kubeforge manifests` vs controller-gen, then the kubeforge-only figures. */
async function generationAndOtherPart(widget) {
  const rows = [];
  const notes = [];
  if (config.only.has('generation')) {
    const generation = benchGeneration({
      workDir: work,
      controllerGen: await controllerGenPath(),
      kindCounts: config.kindCounts,
      runs: config.generationRuns,
      log,
    });
    rows.push({
      section: `Generation: \`kubeforge manifests\` vs controller-gen v0.23.0, wall time (median of ${config.generationRuns}, after 1 warm-up)`,
    });
    for (const { kinds, ours, theirs } of generation)
      rows.push({ measure: `${kinds} kind${kinds > 1 ? 's' : ''}`, unit: 'ms', values: [ours, theirs] });
    raw.generation = generation.map(roundAll);
  }
  if (config.only.has('other')) {
    rows.push({ section: 'Other figures (kubeforge only)' });
    rows.push({
      measure: `\`kubeforge init\` + \`create api\` (median of ${widget.scaffoldMs.length})`,
      unit: 'ms',
      values: [median(widget.scaffoldMs)],
    });
    rows.push({
      measure: 'operator bundle (esbuild, `npm run bundle`)',
      unit: 'KiB',
      values: [widget.bundleBytes / 1024],
    });
    const envtest = envtestStart();
    rows.push({
      measure: `envtest start, cached binaries, etcd + kube-apiserver (median of ${envtest.runs})`,
      unit: 'ms',
      values: [envtest.startMedianMs],
    });
    raw.envtest = envtest;
    const npmTest = existsSync(npmTestRecord) ? JSON.parse(readFileSync(npmTestRecord, 'utf8')) : undefined;
    if (npmTest)
      rows.push({
        measure: `\`npm test\` wall time (recorded ${npmTest.date}, load ${npmTest.loadAverage}; ${npmTest.summary?.at(-1) ?? `exit ${npmTest.exitCode}`})`,
        unit: 's',
        values: [npmTest.wallSeconds],
      });
    else notes.push('`npm test` wall time: not recorded yet (`node bench/run.js --npm-test`).');
  }
  sections.push({
    heading: 'Generation and other figures',
    table: markdownTable({ columns: ['kubeforge', 'controller-gen'], ratios: [[0, 1]], rows }),
    notes,
  });
}

/** Runs `build` when `binary` is missing or older than any file in `sourceDir`. */
function ensureBuilt(binary, sourceDir, build) {
  const newestSource = sourceDir
    ? Math.max(...readdirSync(sourceDir).map((file) => statSync(join(sourceDir, file)).mtimeMs))
    : 0;
  if (existsSync(binary) && statSync(binary).mtimeMs >= newestSource) return;
  log(`building ${binary} (${build.join(' ')})`);
  execFileSync(build[0], build.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** bench/envtest-start.js (etcd + kube-apiserver, no controller manager), median of its runs. */
function envtestStart() {
  const out = execFileSync(process.execPath, [join(repo, 'bench', 'envtest-start.js'), flags.quick ? '3' : '5'], {
    encoding: 'utf8',
  });
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .find((line) => line.controllerManager === false);
}

/** One more kubeforge run (first N, one worker) under `node --cpu-prof`; a note on where its CPU time goes. */
async function profileKubeforge(operator, widget) {
  const profileDir = join(work, 'cpu-prof');
  const profiled = { ...operator, args: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...operator.args] };
  const count = config.counts[0];
  await runScenario({
    operator: profiled,
    count,
    workers: 1,
    idleMs: 0,
    crdDir: widget.crdDir,
    logDir: join(work, 'logs'),
    timeoutMs: Math.max(120_000, count * 200),
  });
  const file = join(
    profileDir,
    readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')),
  );
  const summary = summarizeCpuProfile(file, { bundle: widget.bundle });
  const percent = (share) => `${(share * 100).toFixed(1)} %`;
  const lines = [
    `**Where the kubeforge operator's CPU goes** (\`node --cpu-prof\`, one run: startup, create and update of ${count} Widgets, 1 worker; ${(summary.totalMs / 1000).toFixed(1)} s of samples, self time, mapped through the bundle's source map):`,
    '',
    '| source | self time | share |',
    '| --- | ---: | ---: |',
    ...summary.sources.map(({ source, ms, share }) => `| ${source} | ${ms.toFixed(0)} ms | ${percent(share)} |`),
    '',
    '| function | self time | share |',
    '| --- | ---: | ---: |',
    ...summary.functions.map(({ name, ms, share }) => `| \`${name}\` | ${ms.toFixed(0)} ms | ${percent(share)} |`),
  ];
  return lines.join('\n');
}

/** Times `npm test` once (whole suite, as a developer runs it) and records it with vitest's summary. */
function recordNpmTest() {
  const loadAverage = loadavg()[0].toFixed(1);
  log(`timing npm test (load average ${loadAverage})`);
  const startedAt = performance.now();
  const run = spawnSync('npm', ['test'], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const summary = `${run.stdout}`
    .split('\n')
    .filter((line) => /^\s*(Test Files|Tests)\s/.test(line))
    .map((line) => line.trim().replace(/\s+/g, ' '));
  const record = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    wallSeconds: (performance.now() - startedAt) / 1000,
    exitCode: run.status,
    summary,
    loadAverage,
  };
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  writeFileSync(npmTestRecord, `${JSON.stringify(record, null, 2)}\n`);
  log(`npm test: ${JSON.stringify(record)}`);
}
