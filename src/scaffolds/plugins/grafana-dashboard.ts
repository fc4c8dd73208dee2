/**
 * Grafana dashboards as data: a dashboard is rows of time-series panels, each panel one or more
 * PromQL queries, filtered by the `$job` and `$namespace` variables of the Prometheus data source
 * `$datasource` (Grafana's dashboard JSON model, schemaVersion 39).
 */
export interface Query {
  expr: string;
  legend: string;
}

export interface Panel {
  title: string;
  description: string;
  /** Grafana unit: ops, s, short, bytes, percentunit, none, … */
  unit: string;
  queries: Query[];
}

export interface Row {
  title: string;
  panels: Panel[];
}

/** The label filter every query carries. */
export const SELECTOR = 'job="$job", namespace="$namespace"';
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

/** `histogram_quantile` of a histogram's buckets, per `by` (which gets `le` added). */
export function quantile(q: number, metric: string, by: string): string {
  return `histogram_quantile(${q}, sum by (${by}, le) (rate(${metric}_bucket{${SELECTOR}}[5m])))`;
}

export function dashboard(uid: string, title: string, rows: Row[]): object {
  const panels: object[] = [];
  let y = 0;
  let id = 1;
  for (const row of rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    for (const [index, panel] of row.panels.entries()) {
      const x = (index % 2) * PANEL_WIDTH;
      panels.push(timeSeries(id++, panel, { h: PANEL_HEIGHT, w: PANEL_WIDTH, x, y }));
      if (x > 0 || index === row.panels.length - 1) y += PANEL_HEIGHT;
    }
  }
  return {
    annotations: { list: [] },
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    links: [],
    panels,
    refresh: '30s',
    schemaVersion: 39,
    style: 'dark',
    tags: ['kubeforge', 'controller-runtime'],
    templating: { list: variables() },
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    title,
    uid,
    version: 1,
  };
}

function timeSeries(id: number, panel: Panel, gridPos: object): object {
  return {
    id,
    type: 'timeseries',
    title: panel.title,
    description: panel.description,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: {
      defaults: { unit: panel.unit, custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never' } },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'table', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
    targets: panel.queries.map((query, index) => ({
      datasource: DATASOURCE,
      expr: query.expr,
      legendFormat: query.legend,
      range: true,
      refId: String.fromCharCode(65 + index),
    })),
  };
}

/** Data source, then job and namespace, each narrowed by the one before. */
function variables(): object[] {
  const query = (name: string, expr: string) => ({
    name,
    label: name,
    type: 'query',
    datasource: DATASOURCE,
    definition: expr,
    query: { query: expr, refId: `${name}-query` },
    refresh: 2,
    sort: 1,
    includeAll: false,
    multi: false,
    current: {},
    options: [],
  });
  return [
    {
      name: 'datasource',
      label: 'Data source',
      type: 'datasource',
      query: 'prometheus',
      current: {},
      options: [],
      refresh: 1,
    },
    query('job', 'label_values(controller_runtime_reconcile_total, job)'),
    query('namespace', 'label_values(controller_runtime_reconcile_total{job="$job"}, namespace)'),
  ];
}
