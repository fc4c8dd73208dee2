/**
 * The informer: a watcher feeding a store, telling event handlers what changed. It applies a
 * transform before storing (managedFields stripped by default), turns each relist into adds,
 * updates and synthesised deletes against the previous state, and reports synced after the
 * first list.
 */
import type { Logger } from 'pino';
import type { DirectClient } from '../client/index.js';
import { objectKeyString } from '../keys.js';
import type { EventHandler, IndexFunc, Informer, KubeObject, ObjectKey, ObjectKind, Runnable } from '../types.js';
import { labelMatcher } from './label-selector.js';
import { NAMESPACE_INDEX, Store } from './store.js';
import { Watcher, type Transform, type WatcherEvent, type WatcherOptions, type WatcherStats } from './watcher.js';

/** The default transform: drops metadata.managedFields, usually the largest part of an object. */
export const stripManagedFields: Transform = (object) => {
  if (object.metadata?.managedFields) delete object.metadata.managedFields;
  return object;
};

export interface InformerOptions extends WatcherOptions {
  /** Default `stripManagedFields`; pass `(o) => o` to keep objects whole. */
  transform?: Transform;
  logger?: Logger;
}

export class SharedInformer<T extends KubeObject> implements Informer<T>, Runnable {
  readonly needLeaderElection = false;
  readonly store = new Store<T>();
  private readonly watcher: Watcher<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private synced = false;
  private readonly syncWaiters = new Set<() => void>();
  private running?: Promise<void>;

  constructor(
    client: DirectClient,
    readonly kind: ObjectKind<T>,
    private readonly options: InformerOptions = {},
  ) {
    // The watcher applies the transform page by page, so a relist never holds untrimmed objects at once.
    this.watcher = new Watcher(client, kind, { ...options, transform: options.transform ?? stripManagedFields });
  }

  /** The namespace this informer is restricted to, if any. */
  get namespace(): string | undefined {
    return this.options.namespace;
  }

  /** Lists, watches and failures of the underlying watcher. */
  get stats(): Readonly<WatcherStats> {
    return this.watcher.stats;
  }

  get lastSyncResourceVersion(): string | undefined {
    return this.watcher.lastResourceVersion;
  }

  isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Runs list+watch until `signal` aborts. Starting a running informer joins the running one. */
  start(signal: AbortSignal): Promise<void> {
    this.running ??= this.watcher.run(signal, (event) => this.apply(event)).finally(() => (this.running = undefined));
    return this.running;
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
    if (this.synced) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.syncWaiters.delete(onSync);
        resolve(false);
      };
      const onSync = () => {
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

  private apply(event: WatcherEvent<T>): void {
    if (event.type === 'list') {
      const initial = !this.synced;
      const changes = this.store.replace(event.objects);
      for (const object of changes.added) this.emit('onAdd', (h) => h.onAdd?.(object, initial));
      for (const [oldObject, newObject] of changes.updated)
        this.emit('onUpdate', (h) => h.onUpdate?.(oldObject, newObject));
      for (const object of changes.deleted) this.emit('onDelete', (h) => h.onDelete?.(object));
      if (initial) {
        this.synced = true;
        for (const waiter of this.syncWaiters) waiter();
        this.syncWaiters.clear();
      }
      return;
    }
    const object = event.object;
    if (event.type === 'deleted') {
      this.store.remove(objectKeyString(object));
      this.emit('onDelete', (h) => h.onDelete?.(object));
      return;
    }
    const old = this.store.upsert(object);
    if (old) this.emit('onUpdate', (h) => h.onUpdate?.(old, object));
    else this.emit('onAdd', (h) => h.onAdd?.(object, false));
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
