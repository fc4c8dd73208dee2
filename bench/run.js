// `npm run bench [-- --quick]`: kubeforge side by side with its Go references on this machine, in
// one run — the Widget reconcile benchmark (kubeforge operator bundle vs a controller-runtime
// v0.25.2 twin), `kubeforge manifests` vs controller-gen v0.23.0 on 1/20/50-kind twins, envtest
// start, `init` + `create api` and the recorded `npm test` wall time. Prints a markdown table and
// writes bench/results/<date>.md; a full run (no --quick) also refreshes bench/README.md.
// Options: --quick (N=200, 10 s idle) --counts 1000,5000 --workers 1,4 --reps 3 (or 3,1: per count) --idle-s 60
//          --only reconcile,generation,other --cpu-prof (profile one kubeforge run)
//          --label NAME (writes results/<date>-NAME.md and leaves the README alone)
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
import { summarizeCpuProfile } from './reconcile/cpu-profile.js';
import { benchReconcile, roundAll } from './reconcile/benchmark.js';
import { buildKubeforgeWidget } from './reconcile/kubeforge-widget.js';
import { runScenario } from './reconcile/scenario.js';
import { machineLine, markdownTable, median } from './report.js';

const repo = new URL('..', import.meta.url).pathname;
const benchCache = process.env.KUBEFORGE_BENCH_DIR ?? join(homedir(), '.cache', 'kubeforge', 'bench');
const goOperator = join(benchCache, 'widget-operator-go');
const npmTestRecord = join(repo, 'bench', 'results', 'npm-test.json');

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    counts: { type: 'string' },
    workers: { type: 'string', default: '1,4' },
    reps: { type: 'string', default: '3' },
    'idle-s': { type: 'string' },
    only: { type: 'string', default: 'reconcile,generation,other' },
    'cpu-prof': { type: 'boolean', default: false },
    'npm-test': { type: 'boolean', default: false },
    label: { type: 'string' },
    http2: { type: 'string', default: 'on' },
  },
});
if (!['on', 'off'].includes(flags.http2)) throw new Error(`--http2: expected on or off, got "${flags.http2}"`);
const numbers = (text, flag) =>
  text.split(',').map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${flag}: expected positive integers separated by commas, got "${text}"`);
    return value;
  });
const config = {
  counts: numbers(flags.counts ?? (flags.quick ? '200' : '1000,5000'), 'counts'),
  workerCounts: numbers(flags.workers, 'workers'),
  reps: numbers(flags.reps, 'reps'),
  idleMs: numbers(flags['idle-s'] ?? (flags.quick ? '10' : '60'), 'idle-s')[0] * 1000,
  generationRuns: 5,
  kindCounts: [1, 20, 50],
  only: new Set(flags.only.split(',')),
};
const log = (line) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

if (flags['npm-test']) {
  recordNpmTest();
  process.exit(0);
}
const machineAtStart = machineLine();
const work = mkdtempSync(join(tmpdir(), 'kubeforge-bench-'));
const rows = [];
const notes = [];
const raw = {};
try {
  log(`machine: ${machineAtStart}; work dir ${work}`);
  const widget = buildKubeforgeWidget(work, flags.quick ? 3 : 5);
  log(`kubeforge Widget operator bundled: ${widget.bundle} (${(widget.bundleBytes / 1024).toFixed(0)} KiB)`);
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

  if (config.only.has('reconcile')) {
    ensureBuilt(goOperator, join(repo, 'bench', 'go-twin'), [join(repo, 'bench', 'go-twin', 'build.sh')]);
    const goTwin = { name: 'go', command: goOperator, args: [] };
    const reconcile = await benchReconcile({
      ...config,
      operators: [kubeforgeOperator, goTwin],
      crdDir: widget.crdDir,
      logDir: join(work, 'logs'),
      log,
    });
    rows.push(...reconcile.rows);
    raw.reconcile = reconcile.runs.map(roundAll);
    if (flags['cpu-prof']) notes.push(await profileKubeforge(kubeforgeOperator, widget));
  }

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
      rows.push({ measure: `${kinds} kind${kinds > 1 ? 's' : ''}`, unit: 'ms', ours, theirs });
    raw.generation = generation.map(roundAll);
  }

  if (config.only.has('other')) {
    rows.push({ section: 'Other figures (kubeforge only)' });
    rows.push({
      measure: `\`kubeforge init\` + \`create api\` (median of ${widget.scaffoldMs.length})`,
      unit: 'ms',
      ours: median(widget.scaffoldMs),
    });
    rows.push({ measure: 'operator bundle (esbuild, `npm run bundle`)', unit: 'KiB', ours: widget.bundleBytes / 1024 });
    const envtest = envtestStart();
    rows.push({
      measure: `envtest start, cached binaries, etcd + kube-apiserver (median of ${envtest.runs})`,
      unit: 'ms',
      ours: envtest.startMedianMs,
    });
    raw.envtest = envtest;
    const npmTest = existsSync(npmTestRecord) ? JSON.parse(readFileSync(npmTestRecord, 'utf8')) : undefined;
    if (npmTest)
      rows.push({
        measure: `\`npm test\` wall time (recorded ${npmTest.date}, load ${npmTest.loadAverage}; ${npmTest.summary?.at(-1) ?? `exit ${npmTest.exitCode}`})`,
        unit: 's',
        ours: npmTest.wallSeconds,
      });
    else notes.push('`npm test` wall time: not recorded yet (`node bench/run.js --npm-test`).');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
publish();

function publish() {
  const table = markdownTable(rows);
  const date = new Date().toISOString().slice(0, 10);
  const scale = `N = ${config.counts.join(' and ')}, workers ${config.workerCounts.join(' and ')}, ${config.reps.join(' / ')} repetitions, idle ${config.idleMs / 1000} s${flags.quick ? ' (--quick)' : ''}`;
  const machine = `Machine at start: ${machineAtStart}.\nMachine at end: ${machineLine()}.`;
  const body = [
    `# Benchmarks ${date}`,
    '',
    `${machine}\n\nScale: ${scale}.`,
    '',
    table,
    '',
    ...notes.map((note) => `${note}\n`),
  ].join('\n');
  const rawSection = `<details><summary>raw figures</summary>\n\n\`\`\`json\n${JSON.stringify(raw, null, 1)}\n\`\`\`\n</details>\n`;
  console.log(`${body}`);
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  const suffix = flags.label ? `-${flags.label}` : flags.quick ? '-quick' : '';
  const file = join(repo, 'bench', 'results', `${date}${suffix}.md`);
  writeFileSync(file, `${body}\n${rawSection}`);
  log(`written ${file}`);
  if (!flags.quick && !flags.label)
    updateReadme(
      `${machine}\n\nScale: ${scale}. Full results: [results/${date}.md](results/${date}.md).\n\n${table}\n\n${notes.join('\n\n')}`,
    );
}

function updateReadme(block) {
  const readme = join(repo, 'bench', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const [start, end] = ['<!-- latest-results:start -->', '<!-- latest-results:end -->'];
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return log(`bench/README.md has no ${start} … ${end} block; not updated`);
  writeFileSync(readme, `${text.slice(0, from + start.length)}\n${block}\n${text.slice(to)}`);
  log('bench/README.md updated');
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
