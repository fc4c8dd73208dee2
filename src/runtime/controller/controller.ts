/**
 * A controller: watches feed keys into its queue; once the informers it watches have synced, up to
 * `maxConcurrentReconciles` workers take keys and call the reconciler, one key at a time per
 * worker and never one key on two workers. The result decides what happens next:
 * `Result.done()` → the key's backoff is forgotten; `Result.requeueAfter(ms)` → the key comes
 * back after ms; thrown Error → back with per-key exponential backoff; `TerminalError` → logged
 * and counted, not retried; a thrown non-Error (a "panic") → counted, and retried when
 * `recoverPanic`.
 * When its signal aborts it stops taking keys and resolves once in-flight reconciles finish.
 */
import { randomUUID } from 'node:crypto';
import { keyFromString, keyString } from '../keys.js';
import type { Logger } from '../log.js';
import { controllerMetrics, workQueueMetrics } from '../metrics/index.js';
import { admits, type Predicate } from '../predicates/index.js';
import { WorkQueue, type RateLimiter } from '../queue/index.js';
import type { Cache, KubeObject, ObjectKind, ReconcileContext, Reconciler, Request, Runnable } from '../types.js';
import type { MapFunc } from './handlers.js';
import { isTerminalError } from './result.js';

export interface ControllerOptions {
  /** Workers reconciling different keys at the same time. Default 1. */
  maxConcurrentReconciles?: number;
  /** Backoff for failed keys. Default: per-key 5 ms → 1000 s, and 10 qps / burst 100 overall. */
  rateLimiter?: RateLimiter<string>;
  /** Catch throws of non-Error values, count them as panics and retry. Default true. */
  recoverPanic?: boolean;
}

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

export class Controller implements Runnable {
  readonly needLeaderElection = true;
  readonly queue: WorkQueue<string>;
  private readonly watches: Watch[] = [];
  private readonly workers: number;
  private readonly recoverPanic: boolean;
  private readonly log: Logger;
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
    this.log = logger.child({ controller: name });
    this.queue = new WorkQueue<string>({
      rateLimiter: options.rateLimiter,
      hooks: workQueueMetrics(name, () => this.queue.processingStartTimes()),
    });
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

  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name} was already started`);
    this.started = true;
    this.initializeMetrics();
    const removeHandlers = this.watches.map((w) => this.subscribe(w));
    const stop = () => this.queue.shutdown();
    signal.addEventListener('abort', stop, { once: true });
    try {
      this.log.info({ workers: this.workers }, 'starting controller; waiting for caches to sync');
      const synced = await Promise.all(this.watches.map((w) => this.cache.informerFor(w.kind).waitForSync(signal)));
      if (!synced.every(Boolean)) return;
      for (const w of this.watches) this.replay(w);
      controllerMetrics.maxConcurrentReconciles.set({ controller: this.name }, this.workers);
      controllerMetrics.activeWorkers.set({ controller: this.name }, 0);
      this.log.info({ workers: this.workers }, 'caches synced; starting workers');
      await Promise.all(Array.from({ length: this.workers }, () => this.work(signal)));
      this.log.info('all workers finished');
    } finally {
      signal.removeEventListener('abort', stop);
      this.queue.shutdown();
      for (const remove of removeHandlers) remove();
    }
  }

  /** Series start at 0 (as controller-runtime's), so rates and alerts work before the first error. */
  private initializeMetrics(): void {
    const labels = { controller: this.name };
    for (const result of ['success', 'error', 'requeue_after'])
      controllerMetrics.reconcileTotal.inc({ ...labels, result }, 0);
    for (const counter of [
      controllerMetrics.reconcileErrors,
      controllerMetrics.terminalErrors,
      controllerMetrics.panics,
    ])
      counter.inc(labels, 0);
  }

  private enqueueAll(w: Watch, objects: KubeObject[]): void {
    for (const object of objects) for (const request of w.map(object)) this.queue.add(keyString(request));
  }

  private subscribe(w: Watch): () => void {
    return this.cache.informerFor(w.kind).addEventHandler({
      onAdd: (object) => {
        if (w.predicates.every((p) => admits.create(p, object))) this.enqueueAll(w, [object]);
      },
      onUpdate: (oldObject, newObject) => {
        if (w.predicates.every((p) => admits.update(p, oldObject, newObject)))
          this.enqueueAll(w, [oldObject, newObject]);
      },
      onDelete: (object) => {
        if (w.predicates.every((p) => admits.delete(p, object))) this.enqueueAll(w, [object]);
      },
    });
  }

  /** Objects already cached before our handler was added arrive as creates (duplicates are deduped by the queue). */
  private replay(w: Watch): void {
    const objects = this.cache.informerFor(w.kind).list();
    this.enqueueAll(
      w,
      objects.filter((o) => w.predicates.every((p) => admits.create(p, o))),
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

  private async reconcileKey(key: string, signal: AbortSignal): Promise<void> {
    const request = keyFromString(key);
    const reconcileId = randomUUID();
    const log = this.log.child({ namespace: request.namespace, name: request.name, reconcileID: reconcileId });
    const ctx: ReconcileContext = { log, signal, reconcileId, controller: this.name };
    const labels = { controller: this.name };
    controllerMetrics.activeWorkers.inc(labels);
    const endTimer = controllerMetrics.reconcileTime.startTimer(labels);
    try {
      const result = await this.reconciler.reconcile(request, ctx);
      this.queue.forget(key);
      if (result.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
        this.queue.addAfter(key, result.requeueAfterMs);
        controllerMetrics.reconcileTotal.inc({ ...labels, result: 'requeue_after' });
      } else {
        controllerMetrics.reconcileTotal.inc({ ...labels, result: 'success' });
      }
    } catch (thrown) {
      controllerMetrics.reconcileTotal.inc({ ...labels, result: 'error' });
      controllerMetrics.reconcileErrors.inc(labels);
      if (isTerminalError(thrown)) {
        controllerMetrics.terminalErrors.inc(labels);
        this.queue.forget(key);
        log.error({ err: thrown }, 'reconciler returned a terminal error; not requeueing');
        return;
      }
      if (!(thrown instanceof Error)) {
        controllerMetrics.panics.inc(labels);
        if (!this.recoverPanic) throw new ReconcilePanic(thrown);
        log.error({ panic: describeThrown(thrown) }, 'observed a panic in reconciler; requeueing with backoff');
      } else {
        log.error({ err: thrown }, 'reconciler error; requeueing with backoff');
      }
      this.queue.addRateLimited(key);
    } finally {
      endTimer();
      controllerMetrics.activeWorkers.dec(labels);
    }
  }
}
