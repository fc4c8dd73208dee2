/**
 * The process-wide metrics registry and the series controller-runtime exposes, under the same
 * names and labels, so existing dashboards and alerts work unchanged. Add your own metrics to
 * `metricsRegistry` and they are served on the manager's metrics endpoint.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { observeRestRequests } from '../client/index.js';
import type { WorkQueueHooks } from '../queue/index.js';

export const metricsRegistry = new Registry();

let processMetricsRegistered = false;

/**
 * Adds the process_* series (CPU, resident memory, open files, start time) controller-runtime
 * serves too, and Node's own nodejs_* series where Go operators have go_* (prom-client's default
 * metrics) to `metricsRegistry`; idempotent. The manager calls it when its metrics endpoint starts:
 * most are read when scraped, but the GC histogram observes every collection, a cost an operator
 * that serves no metrics need not pay.
 */
export function registerProcessMetrics(): void {
  if (processMetricsRegistered) return;
  processMetricsRegistered = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2,
  2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
const queueBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10];
const registers = [metricsRegistry];

/** A count kept as a plain number where it happens, added to its counter when the counter is read. */
interface DeferredCount {
  readonly labels: Record<string, string>;
  count: number;
}

/**
 * A counter that hot paths count into through `series(labels)`: a `count++` per event instead of
 * a label lookup in prom-client, added to the series each time the registry is scraped.
 */
function deferredCounter(name: string, help: string, labelNames: string[]) {
  const deferred: DeferredCount[] = [];
  const counter = new Counter({
    name,
    help,
    labelNames,
    registers,
    collect() {
      for (const series of deferred)
        if (series.count > 0) {
          this.inc(series.labels, series.count);
          series.count = 0;
        }
    },
  });
  return {
    counter,
    /** A series that starts at 0 (it is exported before its first event). */
    series(labels: Record<string, string>): DeferredCount {
      counter.inc(labels, 0);
      const series = { labels, count: 0 };
      deferred.push(series);
      return series;
    },
  };
}

/** Each controller's count of busy workers, read when scraped. */
const activeWorkerSources = new Map<string, () => number>();

const reconcileTotal = deferredCounter(
  'controller_runtime_reconcile_total',
  'Total number of reconciliations per controller',
  ['controller', 'result'],
);

export const controllerMetrics = {
  reconcileTotal: reconcileTotal.counter,
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
    collect() {
      for (const [controller, activeWorkers] of activeWorkerSources) this.set({ controller }, activeWorkers());
    },
  }),
};

export type ReconcileOutcome = 'success' | 'error' | 'requeue_after';

/** What one controller records per reconcile, bound to its name once. */
export interface ControllerSeries {
  /** One reconcile finished with `outcome` after `seconds`. */
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
}

/**
 * The series of controller `controller` (all start at 0, as controller-runtime's, so rates and
 * alerts work before the first error); `activeWorkers` is read when scraped.
 */
export function controllerSeries(controller: string, activeWorkers: () => number): ControllerSeries {
  const labels = { controller };
  activeWorkerSources.set(controller, activeWorkers);
  const outcomes: Record<ReconcileOutcome, DeferredCount> = {
    success: reconcileTotal.series({ ...labels, result: 'success' }),
    error: reconcileTotal.series({ ...labels, result: 'error' }),
    requeue_after: reconcileTotal.series({ ...labels, result: 'requeue_after' }),
  };
  for (const counter of [
    controllerMetrics.reconcileErrors,
    controllerMetrics.terminalErrors,
    controllerMetrics.panics,
    controllerMetrics.reconcileTimeouts,
  ])
    counter.inc(labels, 0);
  const reconcileTime = controllerMetrics.reconcileTime.labels(labels);
  return {
    reconciled(outcome, seconds) {
      outcomes[outcome].count++;
      reconcileTime.observe(seconds);
    },
  };
}

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

/** What a work queue is asked for when scraped. */
export interface QueueSample {
  /** Items waiting to be handed out. */
  depth(): number;
  /** Start times (ms since epoch) of the items workers hold. */
  inFlightStartTimes(): number[];
}

/** The queues, by name, read at scrape time (controller-runtime samples the in-flight gauges every 500 ms). */
const queueSources = new Map<string, QueueSample>();

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
      for (const [queue, source] of queueSources)
        this.set(
          { name: queue, controller: queue },
          summarize(source.inFlightStartTimes().map((t) => (now - t) / 1000)),
        );
    },
  });
}

const histogram = (name: string, help: string) =>
  new Histogram({ name, help, labelNames: queueLabels, buckets: queueBuckets, registers });

const adds = deferredCounter('workqueue_adds_total', 'Total number of adds handled by workqueue', queueLabels);
const retries = deferredCounter('workqueue_retries_total', 'Total number of retries handled by workqueue', queueLabels);

const workqueue = {
  depth: new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of workqueue',
    labelNames: queueLabels,
    registers,
    collect() {
      for (const [queue, source] of queueSources) this.set({ name: queue, controller: queue }, source.depth());
    },
  }),
  queueDuration: histogram(
    'workqueue_queue_duration_seconds',
    'How long in seconds an item stays in workqueue before being requested',
  ),
  workDuration: histogram(
    'workqueue_work_duration_seconds',
    'How long in seconds processing an item from workqueue takes.',
  ),
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

/**
 * Hooks that feed a queue's observations into the `workqueue_*` series labelled `name`; its depth
 * and in-flight times are read from `sample` when scraped.
 */
export function workQueueMetrics(name: string, sample: QueueSample): WorkQueueHooks {
  const labels = { name, controller: name };
  queueSources.set(name, sample);
  const added = adds.series(labels);
  const retried = retries.series(labels);
  const queueDuration = workqueue.queueDuration.labels(labels);
  const workDuration = workqueue.workDuration.labels(labels);
  return {
    onAdd: () => added.count++,
    onGet: (seconds) => queueDuration.observe(seconds),
    onDone: (seconds) => workDuration.observe(seconds),
    onRetry: () => retried.count++,
  };
}
