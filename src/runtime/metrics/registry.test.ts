import { describe, expect, it } from 'vitest';
import { metricsRegistry, registerProcessMetrics } from './registry.js';

describe('metricsRegistry', () => {
  it('holds the process and nodejs series (with their per-collection GC observer) only once registered, and registers them once', async () => {
    expect(metricsRegistry.getSingleMetric('nodejs_gc_duration_seconds')).toBeUndefined();
    expect(metricsRegistry.getSingleMetric('process_cpu_seconds_total')).toBeUndefined();
    registerProcessMetrics();
    registerProcessMetrics();
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text.match(/^# TYPE nodejs_gc_duration_seconds /gm)).toHaveLength(1);
  });
});
