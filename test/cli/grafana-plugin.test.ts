/**
 * `edit --plugins grafana`: the dashboards are Grafana dashboard JSON (schemaVersion, variables,
 * panels with PromQL targets), every metric their queries name is served on /metrics by a running
 * operator (an esbuild bundle of an operator on the runtime, against the shared control plane,
 * scraped after it reconciled), and grafana/custom-metrics/config.yaml generates a dashboard or is
 * refused at file:line with nothing written.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundle, until } from '../runtime/harness.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { INIT_ARGS, runCli, treeDigest, useWorkspace } from './cli-harness.js';

const DASHBOARDS = ['grafana/controller-runtime-metrics.json', 'grafana/controller-resources-metrics.json'];

interface Target {
  expr: string;
  refId: string;
}
interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
}
interface Dashboard {
  schemaVersion: number;
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating: { list: { name: string }[] };
}

/** Metric names a PromQL expression selects (`name{…}`), without functions, labels or variables. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((match) => match[1]!);
}

/** Metric families a Prometheus text exposition declares (`# TYPE name type`). */
function exportedFamilies(exposition: string): Map<string, string> {
  return new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1]!, match[2]!]));
}

/** Whether a series name belongs to an exported family: `x`, or `x_bucket|_sum|_count` of a histogram `x`. */
function isExported(name: string, families: Map<string, string>): boolean {
  if (families.has(name)) return true;
  const histogram = /^(.*)_(bucket|sum|count)$/.exec(name);
  return histogram !== null && families.get(histogram[1]!) === 'histogram';
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the bundled operator with plain-HTTP metrics until it reconciled, and returns its /metrics. */
async function scrapeRunningOperator(): Promise<string> {
  const script = await bundle(fileURLToPath(new URL('../runtime/fixtures/log-operator.ts', import.meta.url)));
  const namespace = await createTestNamespace('grafana');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [script, `--metrics-bind-address=127.0.0.1:${port}`, '--metrics-secure=false'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KUBEFORGE_TEST_REST_CONFIG: JSON.stringify(testRestConfig()), LOG_NAMESPACE: namespace },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    // The namespace's kube-root-ca.crt ConfigMap is reconciled once the caches synced.
    await until('a reconcile', () => output.includes('reconciled config map'), 60_000);
    let text = '';
    await until('controller_runtime_reconcile_total on /metrics', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      text = await response.text();
      return response.ok && /^controller_runtime_reconcile_total\{/m.test(text);
    });
    return text;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('edit --plugins grafana', () => {
  const ws = useWorkspace('grafana', { once: true });
  const dashboards: Record<string, Dashboard> = {};
  beforeAll(async () => {
    expect((await runCli(ws.project, INIT_ARGS)).code).toBe(0);
    const run = await runCli(ws.project, ['edit', '--plugins', 'grafana']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const path of DASHBOARDS) {
      dashboards[path] = JSON.parse(await readFile(join(ws.project, path), 'utf8')) as Dashboard;
    }
  });

  it('records the plugin in PROJECT', async () => {
    expect(await readFile(join(ws.project, 'PROJECT'), 'utf8')).toMatch(
      /^plugins:\n {2}grafana\.kubeforge\.io\/v1-alpha: \{\}$/m,
    );
  });

  it.each(DASHBOARDS)('%s is a Grafana dashboard with queries in every panel', (path) => {
    const dashboard = dashboards[path]!;
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual(['datasource', 'job', 'namespace']);
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    const charts = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(charts.length).toBeGreaterThan(0);
    for (const panel of charts) {
      expect(panel.type, panel.title).toBe('timeseries');
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets!) {
        expect(metricNames(target.expr), `${panel.title}: ${target.expr}`).not.toEqual([]);
        expect(target.expr).toContain('job="$job", namespace="$namespace"');
      }
    }
  });

  it('charts reconciles, the work queue, the REST client and the process', () => {
    const names = new Set(
      Object.values(dashboards).flatMap((dashboard) =>
        dashboard.panels.flatMap((panel) => panel.targets ?? []).flatMap((target) => metricNames(target.expr)),
      ),
    );
    expect([...names].sort()).toEqual([
      'controller_runtime_active_workers',
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_reconcile_time_seconds_bucket',
      'controller_runtime_reconcile_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'rest_client_request_duration_seconds_bucket',
      'rest_client_requests_total',
      'workqueue_adds_total',
      'workqueue_depth',
      'workqueue_queue_duration_seconds_bucket',
      'workqueue_retries_total',
      'workqueue_unfinished_work_seconds',
      'workqueue_work_duration_seconds_bucket',
    ]);
  });

  it('queries only metrics a running operator exports', { timeout: 180_000 }, async () => {
    const families = exportedFamilies(await scrapeRunningOperator());
    const queried = Object.values(dashboards).flatMap((dashboard) =>
      dashboard.panels.flatMap((panel) => panel.targets ?? []).flatMap((target) => metricNames(target.expr)),
    );
    expect(queried.filter((name) => !isExported(name, families))).toEqual([]);
  });

  it('generates a custom-metrics dashboard from grafana/custom-metrics/config.yaml', async () => {
    const config = join(ws.project, 'grafana/custom-metrics/config.yaml');
    expect(await readFile(config, 'utf8')).toMatch(/^customMetrics:$/m);
    await writeFile(
      config,
      [
        'customMetrics:',
        '  - metric: memcached_cache_hits_total',
        '    type: counter',
        '  - metric: memcached_items',
        '    type: gauge',
        '    unit: short',
        '  - metric: memcached_request_seconds',
        '    type: histogram',
        '    expr: histogram_quantile(0.99, sum by (le) (rate(memcached_request_seconds_bucket{job="$job", namespace="$namespace"}[5m])))',
        '',
      ].join('\n'),
    );
    expect((await runCli(ws.project, ['edit', '--plugins', 'grafana'])).code).toBe(0);
    const custom = JSON.parse(
      await readFile(join(ws.project, 'grafana/custom-metrics/custom-metrics-dashboard.json'), 'utf8'),
    ) as Dashboard;
    const panels = custom.panels.filter((panel) => panel.type === 'timeseries');
    expect(panels.map((panel) => [panel.title, panel.targets?.[0]?.expr])).toEqual([
      [
        'memcached_cache_hits_total',
        'sum by (instance) (rate(memcached_cache_hits_total{job="$job", namespace="$namespace"}[5m]))',
      ],
      ['memcached_items', 'memcached_items{job="$job", namespace="$namespace"}'],
      [
        'memcached_request_seconds',
        'histogram_quantile(0.99, sum by (le) (rate(memcached_request_seconds_bucket{job="$job", namespace="$namespace"}[5m])))',
      ],
    ]);
  });

  it('refuses a custom metric without a valid type at file:line, writing nothing', async () => {
    const config = join(ws.project, 'grafana/custom-metrics/config.yaml');
    await writeFile(
      config,
      'customMetrics:\n  - metric: ok_total\n    type: counter\n  - metric: bad\n    type: summary\n',
    );
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, ['edit', '--plugins', 'grafana']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(
      /grafana\/custom-metrics\/config\.yaml:4: customMetrics\[1\]\.type: must be counter, gauge, histogram/,
    );
    expect(await treeDigest(ws.project)).toBe(before);
  });

  it('refuses an unknown edit plugin naming --plugins', async () => {
    const before = await treeDigest(ws.project);
    const run = await runCli(ws.project, ['edit', '--plugins', 'grafanna']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--plugins grafanna: unknown plugin/);
    expect(await treeDigest(ws.project)).toBe(before);
  });
});
