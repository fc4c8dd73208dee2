/**
 * `edit --plugins grafana` (kubebuilder's grafana/v1-alpha): writes grafana/ with a dashboard of
 * the controller-runtime metrics and one of the process's resources (both regenerated on every
 * run), grafana/custom-metrics/config.yaml (once: it is yours), and — when that config lists
 * metrics — grafana/custom-metrics/custom-metrics-dashboard.json with a panel per metric.
 * Import the JSON files into Grafana (Dashboards → New → Import) with a Prometheus data source
 * that scrapes the operator (config/prometheus).
 */
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { UserError } from '../../errors.js';
import type { Tree } from '../../machinery/index.js';
import { PLUGIN_KEYS, PROJECT_FILE, serializeProject, withPluginSettings, type Project } from '../../project/index.js';
import { dashboard, quantile, SELECTOR, type Panel } from './grafana-dashboard.js';
import { resourcesDashboard, runtimeDashboard } from './grafana-runtime.js';

export const GRAFANA_DIR = 'grafana';
export const CUSTOM_METRICS_CONFIG = `${GRAFANA_DIR}/custom-metrics/config.yaml`;
const CUSTOM_METRICS_DASHBOARD = `${GRAFANA_DIR}/custom-metrics/custom-metrics-dashboard.json`;
const METRIC_TYPES = ['counter', 'gauge', 'histogram'] as const;

const CONFIG_TEMPLATE = `---
# Metrics of your own (registered on metricsRegistry from kubeforge/runtime/metrics) to chart in
# grafana/custom-metrics/custom-metrics-dashboard.json; run \`kubeforge edit --plugins grafana\`
# again after editing this file.
customMetrics:
#  - metric: # Raw custom metric (required)
#    type:   # Metric type: counter/gauge/histogram (required)
#    expr:   # PromQL for the metric (optional; default: rate for a counter, the value for a gauge, P90 for a histogram)
#    unit:   # Unit of measurement, examples: s,none,bytes,percent,etc. (optional)
#
# Example:
# customMetrics:
#   - metric: foo_bar
#     unit: none
#     type: histogram
#     expr: histogram_quantile(0.90, sum by(instance, le) (rate(foo_bar_bucket{job="$job", namespace="$namespace"}[5m])))
`;

export interface CustomMetric {
  metric: string;
  type: (typeof METRIC_TYPES)[number];
  expr?: string;
  unit?: string;
}

/** Stages grafana/ and records the plugin in PROJECT; throws a `UserError` (file:line) on a bad config. */
export function scaffoldGrafana(tree: Tree, project: Project): Project {
  tree.generate(`${GRAFANA_DIR}/controller-runtime-metrics.json`, toJson(runtimeDashboard()));
  tree.generate(`${GRAFANA_DIR}/controller-resources-metrics.json`, toJson(resourcesDashboard()));
  const config = tree.read(CUSTOM_METRICS_CONFIG);
  if (config === undefined) tree.scaffold(CUSTOM_METRICS_CONFIG, CONFIG_TEMPLATE);
  const metrics = config === undefined ? [] : parseCustomMetrics(config);
  if (metrics.length > 0) tree.generate(CUSTOM_METRICS_DASHBOARD, toJson(customMetricsDashboard(metrics)));
  const updated = withPluginSettings(project, PLUGIN_KEYS.grafana, {});
  tree.generate(PROJECT_FILE, serializeProject(updated));
  return updated;
}

function toJson(value: object): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The entries of `customMetrics`, each checked; an error names the file, line and field. */
export function parseCustomMetrics(text: string): CustomMetric[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const at = (node: Node | null | undefined) =>
    `${CUSTOM_METRICS_CONFIG}:${node?.range ? lines.linePos(node.range[0]).line : 1}`;
  if (document.errors.length > 0) {
    const [error] = document.errors;
    throw new UserError(`${CUSTOM_METRICS_CONFIG}:${error!.linePos?.[0].line ?? 1}: ${error!.message.split('\n')[0]}`);
  }
  const list = isMap(document.contents) ? document.contents.get('customMetrics', true) : undefined;
  if (list === undefined || list === null || (list as Node & { value?: unknown }).value === null) return [];
  if (!isSeq(list)) throw new UserError(`${at(list as Node)}: customMetrics must be a list`);
  return list.items.map((item, index) => {
    const where = `${at(item as Node)}: customMetrics[${index}]`;
    if (!isMap(item)) throw new UserError(`${where}: must be a map with metric and type`);
    const value = item.toJSON() as Record<string, unknown>;
    const unknown = Object.keys(value).filter((key) => !['metric', 'type', 'expr', 'unit'].includes(key));
    if (unknown.length > 0)
      throw new UserError(`${where}: unknown field ${unknown.join(', ')} (metric, type, expr, unit)`);
    if (typeof value.metric !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(value.metric)) {
      throw new UserError(`${where}.metric: a Prometheus metric name is required`);
    }
    if (!METRIC_TYPES.includes(value.type as CustomMetric['type'])) {
      throw new UserError(`${where}.type: must be ${METRIC_TYPES.join(', ')}`);
    }
    for (const field of ['expr', 'unit'] as const) {
      if (value[field] !== undefined && typeof value[field] !== 'string')
        throw new UserError(`${where}.${field}: must be a string`);
    }
    return value as unknown as CustomMetric;
  });
}

/** One panel per custom metric: its expr, or a rate (counter), the value (gauge) or P90 (histogram). */
export function customMetricsDashboard(metrics: CustomMetric[]): object {
  const panels: Panel[] = metrics.map((metric) => ({
    title: metric.metric,
    description: `${metric.type} ${metric.metric}`,
    unit: metric.unit ?? (metric.type === 'histogram' ? 's' : 'none'),
    queries: [{ expr: metric.expr ?? defaultExpr(metric), legend: '{{instance}}' }],
  }));
  return dashboard('kubeforge-custom-metrics', 'Custom Metrics', [{ title: 'Custom metrics', panels }]);
}

function defaultExpr(metric: CustomMetric): string {
  if (metric.type === 'counter') return `sum by (instance) (rate(${metric.metric}{${SELECTOR}}[5m]))`;
  if (metric.type === 'gauge') return `${metric.metric}{${SELECTOR}}`;
  return quantile(0.9, metric.metric, 'instance');
}
