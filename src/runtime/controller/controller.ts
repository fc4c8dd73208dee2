/**
 * A controller: watches feed keys into its priority queue (objects of the initial list, and
 * resyncs, with low priority, so changes made while it runs come first); once the informers it
 * watches have synced (within `cacheSyncTimeoutMs`, else `start` fails naming them), up to
 * `maxConcurrentReconciles` workers take keys and call the reconciler, one key at a time per
 * worker and never one key on two workers. The result decides what happens next:
 * `Result.done()` → the key's backoff is forgotten; `Result.requeueAfter(ms)` → the key comes
 * back after ms; thrown Error → back with per-key exponential backoff; `TerminalError` → logged
 * and counted, not retried; a thrown non-Error (a "panic") → counted, and retried when
 * `recoverPanic`.
 * A reconcile running longer than `reconcileTimeoutMs` has its `ctx.signal` aborted and its key
 * retried with backoff. When its signal aborts it stops taking keys and resolves once in-flight
 * reconciles finish.
 */
import { randomUUID } from 'node:crypto';
import { explainWatchFailure } from '../cache/index.js';
import { keyFromString, keyString } from '../keys.js';
import type { Logger } from '../log.js';
import {
  controllerMetrics,
  controllerSeries,
  workQueueMetrics,
  type ControllerSeries,
  type ReconcileOutcome,
} from '../metrics/index.js';
import { admits, type Predicate } from '../predicates/index.js';
import { LOW_PRIORITY, NORMAL_PRIORITY, WorkQueue, type RateLimiter } from '../queue/index.js';
import type {
  Cache,
  Informer,
  KubeObject,
  ObjectKind,
  ReconcileContext,
  Reconciler,
  Request,
  Runnable,
} from '../types.js';
import type { MapFunc } from './handlers.js';
import { isTerminalError } from './result.js';

export interface ControllerOptions {
  /** Workers reconciling different keys at the same time. Default 1. */
  maxConcurrentReconciles?: number;
  /** Backoff for failed keys. Default: per-key 5 ms → 1000 s, and 10 qps / burst 100 overall. */
  rateLimiter?: RateLimiter<string>;
  /** Catch throws of non-Error values, count them as panics and retry. Default true. */
  recoverPanic?: boolean;
  /**
   * Abort a reconcile's `ctx.signal` after this long and retry its key with backoff (controller-
   * runtime's `ReconciliationTimeout`); the worker moves on even if the reconciler ignores the
   * signal. Default: no timeout.
   */
  reconcileTimeoutMs?: number;
  /** How long `start` waits for the watched kinds' caches to sync before failing. Default 2 min. */
  cacheSyncTimeoutMs?: number;
  /** Allow a name another controller of the same manager has (controller-runtime's `SkipNameValidation`). */
  skipNameValidation?: boolean;
}

/** controller-runtime's default `CacheSyncTimeout`. */
export const DEFAULT_CACHE_SYNC_TIMEOUT_MS = 120_000;

interface Watch {
  kind: ObjectKind;
  map: MapFunc;
  predicates: Predicate[];
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A value thrown that is not an Error: reported as a panic. */
class ReconcilePanic extends Error {
  constructor(readonly value: unknown) {
    super(`reconciler panicked: ${describeThrown(value)}`);
    this.name = 'ReconcilePanic';
  }
}

/** The error a reconcile that ran past `reconcileTimeoutMs` fails with (and its signal's reason). */
export class ReconcileTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`reconcile timed out after ${timeoutMs} ms (reconcileTimeoutMs)`);
    this.name = 'ReconcileTimeoutError';
  }
}

function positiveMs(controller: string, option: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value > 0))
    throw new RangeError(`controller ${controller}: ${option} must be a positive number of milliseconds, got ${value}`);
  return value;
}

/** A kind whose cache has not synced, and the last list failure, which usually says why. */
function describeUnsynced(informer: Informer): string {
  const { kind } = informer;
  const explanation = explainWatchFailure(kind, 'list', informer.lastError);
  if (explanation) return explanation;
  const reason = informer.lastError instanceof Error ? ` (last error: ${informer.lastError.message})` : '';
  return `${kind.kind} (${kind.apiVersion})${reason}`;
}

export class Controller implements Runnable {
  readonly needLeaderElection = true;
  readonly queue: WorkQueue<string>;
  private readonly watches: Watch[] = [];
  private readonly workers: number;
  private readonly recoverPanic: boolean;
  private readonly reconcileTimeoutMs: number | undefined;
  private readonly cacheSyncTimeoutMs: number;
  readonly skipNameValidation: boolean;
  private readonly log: Logger;
  private readonly metrics: ControllerSeries;
  /** Workers inside a reconcile right now. */
  private activeWorkers = 0;
  private started = false;

  constructor(
    readonly name: string,
    private readonly reconciler: Reconciler,
    private readonly cache: Cache,
    logger: Logger,
    options: ControllerOptions = {},
  ) {
    this.workers = options.maxConcurrentReconciles ?? 1;
    if (!Number.isInteger(this.workers) || this.workers < 1)
      throw new RangeError(
        `controller ${name}: maxConcurrentReconciles must be a positive integer, got ${this.workers}`,
      );
    this.recoverPanic = options.recoverPanic ?? true;
    this.reconcileTimeoutMs = positiveMs(name, 'reconcileTimeoutMs', options.reconcileTimeoutMs);
    this.cacheSyncTimeoutMs =
      positiveMs(name, 'cacheSyncTimeoutMs', options.cacheSyncTimeoutMs) ?? DEFAULT_CACHE_SYNC_TIMEOUT_MS;
    this.skipNameValidation = options.skipNameValidation ?? false;
    this.log = logger.child({ controller: name });
    this.queue = new WorkQueue<string>({
      rateLimiter: options.rateLimiter,
      hooks: workQueueMetrics(name, {
        depth: () => this.queue.len(),
        inFlightStartTimes: () => this.queue.processingStartTimes(),
      }),
    });
    this.metrics = controllerSeries(name, () => this.activeWorkers);
  }

  /**
   * Reconcile the keys `map` returns for every event on `kind` that passes all `predicates`.
   * The kind's informer is created now, so it starts (and syncs) with the cache.
   */
  watch<T extends KubeObject>(kind: ObjectKind<T>, map: MapFunc<T>, predicates: Predicate<T>[] = []): void {
    if (this.started) throw new Error(`controller ${this.name}: cannot add a watch after start`);
    this.watches.push({ kind, map: map as MapFunc, predicates: predicates as Predicate[] });
    this.cache.informerFor(kind);
  }

  /** Queue a request by hand (e.g. from an external event source). */
  enqueue(request: Request): void {
    this.queue.add(keyString(request));
  }

  /**
   * Queues every cached object of the reconciled kind (kube-rs's `reconcile_all_on`), with low
   * priority so that changes still go first, and without predicates. Returns how many were
   * queued; throws before the kind's cache has synced.
   */
  reconcileAll(): number {
    const primary = this.watches[0];
    if (!primary) throw new Error(`controller ${this.name}: reconcileAll needs a watch of the reconciled kind`);
    const informer = this.cache.informerFor(primary.kind);
    if (!informer.hasSynced())
      throw new Error(`controller ${this.name}: reconcileAll before the cache of ${primary.kind.kind} has synced`);
    const objects = informer.list();
    this.enqueueAll(primary, objects, LOW_PRIORITY);
    return objects.length;
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name} was already started`);
    this.started = true;
    const removeHandlers = this.watches.map((w) => this.subscribe(w));
    const stop = () => this.queue.shutdown();
    signal.addEventListener('abort', stop, { once: true });
    try {
      this.log.info({ workers: this.workers }, 'starting controller; waiting for caches to sync');
      if (!(await this.waitForCaches(signal))) return;
      for (const w of this.watches) this.replay(w);
      controllerMetrics.maxConcurrentReconciles.set({ controller: this.name }, this.workers);
      this.log.info({ workers: this.workers }, 'caches synced; starting workers');
      await Promise.all(Array.from({ length: this.workers }, () => this.work(signal)));
      this.log.info('all workers finished');
    } finally {
      signal.removeEventListener('abort', stop);
      this.queue.shutdown();
      for (const remove of removeHandlers) remove();
    }
  }

  /** Waits up to `cacheSyncTimeoutMs` for every watched kind; false if `signal` aborts first. */
  private async waitForCaches(signal: AbortSignal): Promise<boolean> {
    const timeout = AbortSignal.timeout(this.cacheSyncTimeoutMs);
    const waiting = AbortSignal.any([signal, timeout]);
    const informers = [...new Set(this.watches.map((w) => this.cache.informerFor(w.kind)))];
    const synced = await Promise.all(informers.map((informer) => informer.waitForSync(waiting)));
    if (synced.every(Boolean)) return true;
    if (signal.aborted) return false;
    const missing = informers.filter((_, i) => !synced[i]).map((informer) => describeUnsynced(informer));
    throw new Error(
      `controller ${this.name}: timed out after ${this.cacheSyncTimeoutMs} ms waiting for caches to sync: ${missing.join('; ')}`,
    );
  }

  private enqueueAll(w: Watch, objects: KubeObject[], priority: number): void {
    for (const object of objects) this.enqueueEvent(w, [object], priority);
  }

  /**
   * Queues the requests one event maps to — for an update, those of the old and the new object —
   * each key once, as controller-runtime's handlers collect them in a set: adding the same key
   * twice could hand the first add to an idle worker at once and mark the second dirty, so one
   * update would be reconciled twice.
   */
  private enqueueEvent(w: Watch, objects: KubeObject[], priority: number): void {
    const mapped = objects.map((object) => w.map(object));
    if (mapped.every((requests) => Array.isArray(requests))) {
      this.addEach(mapped.length === 1 ? mapped[0] : mapped.flat(), priority);
      return;
    }
    void Promise.allSettled(mapped).then((results) => {
      results.forEach((result, i) => {
        if (result.status === 'rejected')
          this.log.error(
            { err: result.reason, kind: w.kind.kind, name: objects[i].metadata?.name },
            'map function failed; event dropped',
          );
      });
      this.addEach(
        results.flatMap((result) => (result.status === 'fulfilled' ? result.value : [])),
        priority,
      );
    });
  }

  /** Queues the key of each request once. */
  private addEach(requests: Request[], priority: number): void {
    if (requests.length === 1) this.queue.add(keyString(requests[0]), priority);
    else for (const key of new Set(requests.map(keyString))) this.queue.add(key, priority);
  }

  /** As controller-runtime's handlers: the initial list and resyncs (same resourceVersion) get low priority. */
  private subscribe(w: Watch): () => void {
    return this.cache.informerFor(w.kind).addEventHandler({
      onAdd: (object, isInInitialList) => {
        if (w.predicates.every((p) => admits.create(p, object)))
          this.enqueueAll(w, [object], isInInitialList ? LOW_PRIORITY : NORMAL_PRIORITY);
      },
      onUpdate: (oldObject, newObject) => {
        const unchanged = oldObject.metadata?.resourceVersion === newObject.metadata?.resourceVersion;
        if (w.predicates.every((p) => admits.update(p, oldObject, newObject)))
          this.enqueueEvent(w, [oldObject, newObject], unchanged ? LOW_PRIORITY : NORMAL_PRIORITY);
      },
      onDelete: (object) => {
        if (w.predicates.every((p) => admits.delete(p, object))) this.enqueueAll(w, [object], NORMAL_PRIORITY);
      },
    });
  }

  /**
   * Objects already cached before our handler was added arrive as creates of the initial list
   * (low priority; duplicates are deduped by the queue).
   */
  private replay(w: Watch): void {
    const objects = this.cache.informerFor(w.kind).list();
    this.enqueueAll(
      w,
      objects.filter((o) => w.predicates.every((p) => admits.create(p, o))),
      LOW_PRIORITY,
    );
  }

  private async work(signal: AbortSignal): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        await this.reconcileKey(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /**
   * The context of one reconcile. Its logger (a pino child with the object's key and the reconcile
   * ID) is made on first use: most reconciles of a healthy operator log nothing.
   */
  private contextFor(request: Request, signal: AbortSignal): ReconcileContext {
    const controllerLog = this.log;
    const reconcileId = randomUUID();
    let log: Logger | undefined;
    return {
      get log() {
        return (log ??= controllerLog.child({
          namespace: request.namespace,
          name: request.name,
          reconcileID: reconcileId,
        }));
      },
      signal,
      reconcileId,
      controller: this.name,
    };
  }

  private async reconcileKey(key: string, signal: AbortSignal): Promise<void> {
    const request = keyFromString(key);
    const timeout = this.reconcileTimeoutMs === undefined ? undefined : new AbortController();
    const ctx = this.contextFor(request, timeout ? AbortSignal.any([signal, timeout.signal]) : signal);
    const labels = { controller: this.name };
    const priority = this.queue.priorityOf(key) ?? NORMAL_PRIORITY;
    this.activeWorkers++;
    const startedAt = performance.now();
    let outcome: ReconcileOutcome = 'error';
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const run = this.reconciler.reconcile(request, ctx);
      const result = timeout
        ? await Promise.race([
            run,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                const error = new ReconcileTimeoutError(this.reconcileTimeoutMs!);
                controllerMetrics.reconcileTimeouts.inc(labels);
                timeout.abort(error);
                reject(error);
                run.catch(() => {});
              }, this.reconcileTimeoutMs);
            }),
          ])
        : await run;
      this.queue.forget(key);
      if (result.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
        this.queue.addAfter(key, result.requeueAfterMs, priority);
        outcome = 'requeue_after';
      } else {
        outcome = 'success';
      }
    } catch (thrown) {
      controllerMetrics.reconcileErrors.inc(labels);
      if (isTerminalError(thrown)) {
        controllerMetrics.terminalErrors.inc(labels);
        this.queue.forget(key);
        ctx.log.error({ err: thrown }, 'reconciler returned a terminal error; not requeueing');
        return;
      }
      if (!(thrown instanceof Error)) {
        controllerMetrics.panics.inc(labels);
        if (!this.recoverPanic) throw new ReconcilePanic(thrown);
        ctx.log.error({ panic: describeThrown(thrown) }, 'observed a panic in reconciler; requeueing with backoff');
      } else {
        ctx.log.error({ err: thrown }, 'reconciler error; requeueing with backoff');
      }
      this.queue.addRateLimited(key, priority);
    } finally {
      clearTimeout(timer);
      this.metrics.reconciled(outcome, (performance.now() - startedAt) / 1000);
      this.activeWorkers--;
    }
  }
}
