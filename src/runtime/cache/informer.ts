/**
 * The informer: watchers (one for all namespaces, or one per namespace of a multi-namespace
 * cache) feeding one store, telling event handlers what changed. It applies a transform before
 * storing (managedFields stripped by default), turns each relist into adds, updates and
 * synthesised deletes against the previous state, reports synced after the first list of every
 * namespace, and re-delivers every stored object as an update each `resyncPeriodMs`.
 */
import type { Logger } from 'pino';
import type { DirectClient } from '../client/index.js';
import { sleep } from '../sleep.js';
import type { EventHandler, IndexFunc, Informer, KubeObject, ObjectKey, ObjectKind, Runnable } from '../types.js';
import {
  cachedVersions,
  countMissed,
  differences,
  serverVersions,
  unchanged,
  type AuditOptions,
  type MissedEvents,
} from './audit.js';
import { labelMatcher } from './label-selector.js';
import { NAMESPACE_INDEX, Store, type ReplaceResult } from './store.js';
import { Watcher, type Transform, type WatcherEvent, type WatcherOptions, type WatcherStats } from './watcher.js';

/** The default transform: drops metadata.managedFields, usually the largest part of an object. */
export const stripManagedFields: Transform = (object) => {
  if (object.metadata?.managedFields) delete object.metadata.managedFields;
  return object;
};

export interface InformerOptions extends WatcherOptions {
  /** Watch these namespaces, one watch each (instead of `namespace`); empty or absent: all. */
  namespaces?: string[];
  /** Default `stripManagedFields`; pass `(o) => o` to keep objects whole. */
  transform?: Transform;
  /**
   * Re-deliver every stored object to the handlers as an update (old and new the same object)
   * this often, ±10% jitter (client-go's resync). Default: never.
   */
  resyncPeriodMs?: number;
  logger?: Logger;
}

/** One namespace's watch ('' for all namespaces). */
interface NamespaceWatch<T extends KubeObject> {
  watcher: Watcher<T>;
  stop: AbortController;
  synced: boolean;
  done: Promise<void>;
  /** Called with the changes of the next list (an audit's repair). */
  relisted?: (changes: ReplaceResult<T>) => void;
}

/** How one watch of an informer is doing. */
export interface WatchLiveness {
  /** Undefined for a watch of all namespaces. */
  namespace?: string;
  /** `Date.now()` of the last completed list, opened watch, event or bookmark. */
  lastActivityAt: number;
  /** Dead watches found and resumed. */
  stalls: number;
  /** Nothing heard for longer than `stuckAfterMs`. */
  stuck: boolean;
}

export class SharedInformer<T extends KubeObject> implements Informer<T>, Runnable {
  readonly needLeaderElection = false;
  readonly store = new Store<T>();
  private readonly watches = new Map<string, NamespaceWatch<T>>();
  private readonly handlers = new Set<EventHandler<T>>();
  private synced = false;
  private readonly syncWaiters = new Set<() => void>();
  private running?: Promise<void>;
  private signal?: AbortSignal;
  private current: string[];
  private lastFailure: unknown;

  constructor(
    private readonly client: DirectClient,
    readonly kind: ObjectKind<T>,
    private readonly options: InformerOptions = {},
  ) {
    const namespaces = options.namespaces ?? (options.namespace ? [options.namespace] : []);
    this.current = kind.namespaced ? [...new Set(namespaces)] : [];
  }

  /** The namespaces this informer is restricted to; undefined when it watches all of them. */
  get namespaces(): readonly string[] | undefined {
    return this.current.length > 0 ? this.current : undefined;
  }

  /** Lists, watches and failures of the underlying watchers, summed. */
  get stats(): Readonly<WatcherStats> {
    const total: WatcherStats = { lists: 0, watches: 0, errors: 0, stalls: 0 };
    for (const { watcher } of this.watches.values()) {
      total.lists += watcher.stats.lists;
      total.watches += watcher.stats.watches;
      total.errors += watcher.stats.errors;
      total.stalls += watcher.stats.stalls;
    }
    return total;
  }

  /** Per watch (one, or one per namespace): when it last heard from the apiserver, and whether it is stuck. */
  liveness(now = Date.now()): WatchLiveness[] {
    return [...this.watches].map(([namespace, { watcher }]) => ({
      namespace: namespace || undefined,
      lastActivityAt: watcher.lastActivityAt,
      stalls: watcher.stats.stalls,
      stuck: watcher.isStuck(now),
    }));
  }

  /**
   * Compares the store with a consistent metadata-only list of each watch's scope; differences
   * still there after `graceMs` are missed events, repaired by relisting that watch (handlers get
   * the synthesised adds, updates and deletes) and counted in `kubeforge_cache_missed_events_total`.
   */
  async audit(options: AuditOptions = {}, signal?: AbortSignal): Promise<MissedEvents> {
    const missed: MissedEvents = { added: 0, updated: 0, deleted: 0 };
    for (const [namespace, watch] of [...this.watches]) {
      if (!watch.synced || signal?.aborted) continue;
      const inScope = () => cachedVersions(this.list({ namespace: namespace || undefined }));
      const server = await serverVersions(
        this.client,
        this.kind,
        {
          namespace: namespace || undefined,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
        },
        signal,
      );
      const suspects = differences(server.versions, server.resourceVersion, inScope());
      if (suspects.size === 0) continue;
      await sleep(options.graceMs ?? 2000, signal);
      if (signal?.aborted || watch.stop.signal.aborted || unchanged(suspects, inScope()).length === 0) continue;
      const changes = await new Promise<ReplaceResult<T> | undefined>((resolve) => {
        watch.relisted = resolve;
        watch.stop.signal.addEventListener('abort', () => resolve(undefined), { once: true });
        watch.watcher.relist();
      });
      if (!changes) continue;
      missed.added += changes.added.length;
      missed.updated += changes.updated.length;
      missed.deleted += changes.deleted.length;
      this.options.logger?.warn({ namespace: namespace || undefined, ...missed }, 'cache audit repaired missed events');
    }
    countMissed(this.kind, missed);
    return missed;
  }

  /** The last list or watch failure (watchers retry forever; this says why it has not synced). */
  get lastError(): unknown {
    return this.lastFailure;
  }

  isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Runs list+watch until `signal` aborts. Starting a running informer joins the running one. */
  start(signal: AbortSignal): Promise<void> {
    this.running ??= this.run(signal).finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Watches `namespaces` from now on (empty: all). Watches of removed namespaces stop and their
   * objects leave the store without delete events (a stopped watch saw no deletion, as JOSDK's
   * `changeNamespaces`); added namespaces are listed, and their objects arrive as adds. Resolves
   * true once every added namespace has listed (false if the informer stops first).
   */
  async changeNamespaces(namespaces: string[]): Promise<boolean> {
    if (!this.kind.namespaced) return true;
    const next = [...new Set(namespaces)];
    const keys = (list: string[]) => (list.length > 0 ? list : ['']);
    const removed = keys(this.current).filter((ns) => !keys(next).includes(ns));
    this.current = next;
    for (const namespace of removed) {
      const watch = this.watches.get(namespace);
      watch?.stop.abort();
      this.watches.delete(namespace);
      this.store.replace([], namespace || undefined);
    }
    this.markSyncedIfAll();
    const signal = this.signal;
    if (!signal || signal.aborted) return !signal;
    const added = keys(next).filter((ns) => !this.watches.has(ns));
    const started = added.map((namespace) => this.watchNamespace(namespace, signal));
    const synced = await Promise.all(
      started.map((watch) => this.waitFor(() => watch.synced || watch.stop.signal.aborted, signal)),
    );
    return synced.every(Boolean);
  }

  /** Adds a handler; once synced, it first gets an add for every object already stored. */
  addEventHandler(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.synced) for (const object of this.store.list()) this.call('onAdd', () => handler.onAdd?.(object, true));
    return () => this.handlers.delete(handler);
  }

  addIndex(name: string, indexFunc: IndexFunc<T>): void {
    this.store.addIndex(name, indexFunc);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first list is stored; false if `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean> {
    return this.waitFor(() => this.synced, signal);
  }

  private waitFor(done: () => boolean, signal: AbortSignal): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.syncWaiters.delete(onSync);
        resolve(false);
      };
      const onSync = () => {
        if (!done()) return;
        this.syncWaiters.delete(onSync);
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      };
      this.syncWaiters.add(onSync);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  get(key: ObjectKey): T | undefined {
    return this.store.get(this.kind.namespaced ? key : { name: key.name });
  }

  list(options: { namespace?: string; labelSelector?: string } = {}): T[] {
    const objects =
      options.namespace && this.kind.namespaced
        ? this.store.byIndex(NAMESPACE_INDEX, options.namespace)
        : this.store.list();
    if (!options.labelSelector) return objects;
    const matches = labelMatcher(options.labelSelector);
    return objects.filter((o) => matches(o.metadata?.labels));
  }

  byIndex(name: string, value: string): T[] {
    return this.store.byIndex(name, value);
  }

  hasIndex(name: string): boolean {
    return this.store.hasIndex(name);
  }

  private async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    for (const namespace of this.current.length > 0 ? this.current : ['']) this.watchNamespace(namespace, signal);
    const resync = this.scheduleResync(signal);
    await new Promise((resolve) =>
      signal.aborted ? resolve(undefined) : signal.addEventListener('abort', resolve, { once: true }),
    );
    clearTimeout(resync.timer);
    await Promise.all([...this.watches.values()].map((watch) => watch.done));
    this.watches.clear();
    this.signal = undefined;
  }

  private watchNamespace(namespace: string, signal: AbortSignal): NamespaceWatch<T> {
    const stop = new AbortController();
    const stopWith = () => stop.abort();
    signal.addEventListener('abort', stopWith, { once: true });
    // The watcher applies the transform page by page, so a relist never holds untrimmed objects at once.
    const watcher = new Watcher(this.client, this.kind, {
      ...this.options,
      namespace: namespace || undefined,
      transform: this.options.transform ?? stripManagedFields,
      onError: (error) => {
        this.lastFailure = error;
        this.options.onError?.(error);
      },
    });
    const watch: NamespaceWatch<T> = { watcher, stop, synced: false, done: Promise.resolve() };
    watch.done = watcher
      .run(stop.signal, (event) => {
        if (!stop.signal.aborted) this.apply(event, watch, namespace || undefined);
      })
      .finally(() => signal.removeEventListener('abort', stopWith));
    this.watches.set(namespace, watch);
    return watch;
  }

  private scheduleResync(signal: AbortSignal): { timer?: ReturnType<typeof setTimeout> } {
    const period = this.options.resyncPeriodMs;
    const handle: { timer?: ReturnType<typeof setTimeout> } = {};
    if (!period || period <= 0) return handle;
    const next = () => {
      handle.timer = setTimeout(
        () => {
          if (signal.aborted) return;
          if (this.synced) {
            for (const object of this.store.list()) this.emit('onUpdate', (h) => h.onUpdate?.(object, object));
          }
          next();
        },
        period * (0.9 + Math.random() / 5),
      );
      handle.timer.unref?.();
    };
    next();
    return handle;
  }

  private apply(event: WatcherEvent<T>, watch: NamespaceWatch<T>, namespace: string | undefined): void {
    if (event.type === 'list') {
      const initial = !watch.synced;
      const changes = this.store.replace(event.objects, namespace);
      watch.relisted?.(changes);
      watch.relisted = undefined;
      for (const object of changes.added) this.emit('onAdd', (h) => h.onAdd?.(object, initial));
      for (const [oldObject, newObject] of changes.updated)
        this.emit('onUpdate', (h) => h.onUpdate?.(oldObject, newObject));
      for (const object of changes.deleted) this.emit('onDelete', (h) => h.onDelete?.(object));
      if (initial) {
        watch.synced = true;
        this.markSyncedIfAll();
      }
      return;
    }
    const object = event.object;
    if (event.type === 'deleted') {
      this.store.remove({ namespace: object.metadata?.namespace, name: object.metadata?.name ?? '' });
      this.emit('onDelete', (h) => h.onDelete?.(object));
      return;
    }
    const old = this.store.upsert(object);
    if (old) this.emit('onUpdate', (h) => h.onUpdate?.(old, object));
    else this.emit('onAdd', (h) => h.onAdd?.(object, false));
  }

  /** Synced once every namespace watched has listed; later namespaces do not unsync it. */
  private markSyncedIfAll(): void {
    if (this.watches.size > 0 && [...this.watches.values()].every((w) => w.synced)) this.synced = true;
    for (const waiter of [...this.syncWaiters]) waiter();
  }

  private emit(name: string, call: (handler: EventHandler<T>) => void): void {
    for (const handler of this.handlers) this.call(name, () => call(handler));
  }

  /** A throwing handler is logged; it never stops the watch or the other handlers. */
  private call(name: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.options.logger?.error({ err: error, kind: this.kind.kind }, `informer event handler ${name} threw`);
    }
  }
}
