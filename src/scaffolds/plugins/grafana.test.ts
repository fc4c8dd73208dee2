import { describe, expect, it } from 'vitest';
import { customMetricsDashboard, parseCustomMetrics } from './grafana.js';

describe('parseCustomMetrics', () => {
  it('reads nothing from the scaffolded, commented-out config', () => {
    expect(parseCustomMetrics('---\ncustomMetrics:\n#  - metric: foo\n')).toEqual([]);
  });

  it('reads the entries', () => {
    expect(parseCustomMetrics('customMetrics:\n  - metric: foo_total\n    type: counter\n    unit: ops\n')).toEqual([
      { metric: 'foo_total', type: 'counter', unit: 'ops' },
    ]);
  });

  it.each([
    ['customMetrics: 3\n', /config\.yaml:1: customMetrics must be a list/],
    [
      'customMetrics:\n  - type: gauge\n',
      /config\.yaml:2: customMetrics\[0\]\.metric: a Prometheus metric name is required/,
    ],
    ['customMetrics:\n  - metric: a-b\n    type: gauge\n', /config\.yaml:2: customMetrics\[0\]\.metric/],
    [
      'customMetrics:\n  - metric: a\n    type: gauge\n    legend: x\n',
      /config\.yaml:2: customMetrics\[0\]: unknown field legend/,
    ],
    ['customMetrics:\n  - metric: a\n    type: gauge\n    unit: 3\n', /customMetrics\[0\]\.unit: must be a string/],
    ['customMetrics: [\n', /config\.yaml:\d+: /],
  ])('refuses %j at file:line', (text, message) => {
    expect(() => parseCustomMetrics(text)).toThrow(message);
  });
});

describe('customMetricsDashboard', () => {
  it('charts a histogram at P90 by default, in seconds', () => {
    const dashboard = customMetricsDashboard([{ metric: 'lat_seconds', type: 'histogram' }]) as {
      panels: { type: string; fieldConfig?: { defaults: { unit: string } }; targets?: { expr: string }[] }[];
    };
    const [panel] = dashboard.panels.filter((candidate) => candidate.type === 'timeseries');
    expect(panel?.fieldConfig?.defaults.unit).toBe('s');
    expect(panel?.targets?.[0]?.expr).toBe(
      'histogram_quantile(0.9, sum by (instance, le) (rate(lat_seconds_bucket{job="$job", namespace="$namespace"}[5m])))',
    );
  });
});
