/**
 * The process-wide metrics registry and the series controller-runtime exposes, under the same
 * names and labels, so existing dashboards and alerts work unchanged. Add your own metrics to
 * `metricsRegistry` and they are served on the manager's metrics endpoint.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { observeRestRequests } from '../client/index.js';
import type { WorkQueueHooks } from '../queue/index.js';

export const metricsRegistry = new Registry();
// The process_* series (CPU, resident memory, open files, start time) controller-runtime serves
// too, and Node's own nodejs_* series where Go operators have go_*; read at scrape time.
collectDefaultMetrics({ register: metricsRegistry });

const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2,
  2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
const queueBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10];
const registers = [metricsRegistry];

export const controllerMetrics = {
  reconcileTotal: new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'],
    registers,
  }),
  reconcileErrors: new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'],
    registers,
  }),
  terminalErrors: new Counter({
    name: 'controller_runtime_terminal_reconcile_errors_total',
    help: 'Total number of terminal reconciliation errors per controller',
    labelNames: ['controller'],
    registers,
  }),
  reconcileTimeouts: new Counter({
    name: 'controller_runtime_reconcile_timeouts_total',
    help: 'Total number of reconciliation timeouts per controller',
    labelNames: ['controller'],
    registers,
  }),
  panics: new Counter({
    name: 'controller_runtime_reconcile_panics_total',
    help: 'Total number of reconciliation panics per controller',
    labelNames: ['controller'],
    registers,
  }),
  reconcileTime: new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'],
    buckets: reconcileBuckets,
    registers,
  }),
  maxConcurrentReconciles: new Gauge({
    name: 'controller_runtime_max_concurrent_reconciles',
    help: 'Maximum number of concurrent reconciles per controller',
    labelNames: ['controller'],
    registers,
  }),
  activeWorkers: new Gauge({
    name: 'controller_runtime_active_workers',
    help: 'Number of currently used workers per controller',
    labelNames: ['controller'],
    registers,
  }),
};

export const leaderElectionStatus = new Gauge({
  name: 'leader_election_master_status',
  help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
  labelNames: ['name'],
  registers,
});

export const restClientMetrics = {
  requests: new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of HTTP requests, partitioned by status code, method, and host.',
    labelNames: ['code', 'method', 'host'],
    registers,
  }),
  latency: new Histogram({
    name: 'rest_client_request_duration_seconds',
    help: 'Request latency in seconds. Broken down by verb and host.',
    labelNames: ['verb', 'host'],
    buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers,
  }),
};

let restObserved = false;

/** Feeds every REST request of every client into the `rest_client_*` series (idempotent). */
export function exportRestClientMetrics(): void {
  if (restObserved) return;
  restObserved = true;
  observeRestRequests(({ method, code, host, durationMs }) => {
    restClientMetrics.requests.inc({ code, method, host });
    restClientMetrics.latency.observe({ verb: method, host }, durationMs / 1000);
  });
}

/** Sources of the in-flight gauges, read at scrape time (controller-runtime samples them every 500 ms). */
const inFlightSources = new Map<string, () => number[]>();

const queueLabels = ['name', 'controller'];

/** A gauge over every queue's in-flight start times, computed when scraped. */
function inFlightGauge(name: string, help: string, summarize: (ages: number[]) => number): Gauge {
  return new Gauge({
    name,
    help,
    labelNames: queueLabels,
    registers,
    collect() {
      const now = Date.now();
      for (const [queue, starts] of inFlightSources)
        this.set({ name: queue, controller: queue }, summarize(starts().map((t) => (now - t) / 1000)));
    },
  });
}

const counter = (name: string, help: string) => new Counter({ name, help, labelNames: queueLabels, registers });
const histogram = (name: string, help: string) =>
  new Histogram({ name, help, labelNames: queueLabels, buckets: queueBuckets, registers });

const workqueue = {
  depth: new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: queueLabels, registers }),
  adds: counter('workqueue_adds_total', 'Total number of adds handled by workqueue'),
  queueDuration: histogram(
    'workqueue_queue_duration_seconds',
    'How long in seconds an item stays in workqueue before being requested',
  ),
  workDuration: histogram(
    'workqueue_work_duration_seconds',
    'How long in seconds processing an item from workqueue takes.',
  ),
  retries: counter('workqueue_retries_total', 'Total number of retries handled by workqueue'),
  unfinished: inFlightGauge(
    'workqueue_unfinished_work_seconds',
    "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads.",
    (ages) => ages.reduce((sum, age) => sum + age, 0),
  ),
  longest: inFlightGauge(
    'workqueue_longest_running_processor_seconds',
    'How many seconds has the longest running processor for workqueue been running.',
    (ages) => Math.max(0, ...ages),
  ),
};

/** Hooks that feed a queue's observations into the `workqueue_*` series labelled `name`. */
export function workQueueMetrics(name: string, inFlightStartTimes: () => number[]): WorkQueueHooks {
  const labels = { name, controller: name };
  inFlightSources.set(name, inFlightStartTimes);
  workqueue.depth.set(labels, 0);
  workqueue.adds.inc(labels, 0);
  workqueue.retries.inc(labels, 0);
  return {
    onAdd: () => workqueue.adds.inc(labels),
    onDepth: (depth) => workqueue.depth.set(labels, depth),
    onGet: (seconds) => workqueue.queueDuration.observe(labels, seconds),
    onDone: (seconds) => workqueue.workDuration.observe(labels, seconds),
    onRetry: () => workqueue.retries.inc(labels),
  };
}
