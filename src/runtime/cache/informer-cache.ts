/**
 * The informer cache: one shared informer per kind, all sharing the cache's lifecycle. Informers
 * asked for before start begin with it, later ones start at once. Scope comes from the options:
 * default namespaces (changeable at run time), label and field selectors for every kind, per-kind
 * overrides (`byObject`), metadata-only kinds, a transform and the resync period. Field indexes
 * (`indexField`) are added to the kind's informer.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { DirectClient } from '../client/index.js';
import { kindName } from '../kinds.js';
import { sleep } from '../sleep.js';
import type { Cache, KubeObject, ObjectKind } from '../types.js';
import type { AuditOptions, AuditReport } from './audit.js';
import { fieldIndexFunc, fieldIndexName, type FieldExtractor, type FieldIndexer } from './field-index.js';
import { SharedInformer } from './informer.js';
import type { Transform, WatcherOptions } from './watcher.js';

/** How to cache one kind. */
export interface ByObjectOptions {
  kind: ObjectKind;
  /** Watch only this namespace (overrides the cache's default namespaces). */
  namespace?: string;
  /** Overrides `defaultLabelSelector`. */
  labelSelector?: string;
  /** Overrides `defaultFieldSelector`. */
  fieldSelector?: string;
  transform?: Transform;
}

export interface CacheOptions {
  /**
   * Cache namespaced kinds of these namespaces only, one watch per namespace (controller-runtime's
   * `DefaultNamespaces`); cluster-scoped kinds are unaffected. Default: all namespaces.
   * `changeNamespaces` changes them at run time.
   */
  defaultNamespaces?: string[];
  /** One namespace: the same as `defaultNamespaces: [namespace]`. */
  namespace?: string;
  /** Label selector of every kind without its own in `byObject`. */
  defaultLabelSelector?: string;
  /** Field selector of every kind without its own in `byObject`. */
  defaultFieldSelector?: string;
  /**
   * Every cached object is re-delivered to event handlers as an update (old and new the same)
   * this often, ±10% jitter — controller-runtime's `SyncPeriod`. Default 10 hours; 0 disables.
   */
  syncPeriodMs?: number;
  byObject?: ByObjectOptions[];
  /** Kinds to cache as PartialObjectMetadata (metadata only). */
  metadataOnly?: ObjectKind[];
  /** Applied to every object before it is stored; default strips managedFields. */
  transform?: Transform;
  logger?: Logger;
  /** Tuning of every informer's watcher (timeouts, liveness window, stuck limit, backoff, page size). */
  watcher?: Pick<
    WatcherOptions,
    'timeoutSeconds' | 'idleTimeoutMs' | 'stuckAfterMs' | 'backoff' | 'pageSize' | 'onError'
  >;
  /** Audit the cache against the apiserver every `everyMs` while it runs (see `audit`). Default: never. */
  audit?: PeriodicAuditOptions;
}

export interface PeriodicAuditOptions extends AuditOptions {
  everyMs: number;
}

/** controller-runtime's default `SyncPeriod`. */
export const DEFAULT_SYNC_PERIOD_MS = 10 * 60 * 60 * 1000;

/** Kinds that hold much data or secrets: caching them cluster-wide by accident deserves a warning. */
const SENSITIVE_KINDS = new Set(['v1/Secret', 'v1/ConfigMap', 'v1/Pod']);

const sameKind = (a: ObjectKind, b: ObjectKind) => a.apiVersion === b.apiVersion && a.kind === b.kind;

export class InformerCache implements Cache, FieldIndexer {
  readonly needLeaderElection = false;
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly runs: Promise<void>[] = [];
  private signal?: AbortSignal;
  private namespaces: string[];

  constructor(
    private readonly client: DirectClient,
    private readonly options: CacheOptions = {},
  ) {
    const { defaultNamespaces, namespace } = options;
    if (defaultNamespaces && namespace && (defaultNamespaces.length !== 1 || defaultNamespaces[0] !== namespace)) {
      throw new Error(
        `cache options: namespace "${namespace}" and defaultNamespaces [${defaultNamespaces.join(', ')}] disagree; set defaultNamespaces only`,
      );
    }
    this.namespaces = [...new Set(defaultNamespaces ?? (namespace ? [namespace] : []))];
  }

  /** The namespaces namespaced kinds are cached for; empty means all. */
  get defaultNamespaces(): readonly string[] {
    return this.namespaces;
  }

  /** The informer for `kind`, created (and started, if the cache runs) on first use. */
  informerFor<T extends KubeObject>(kind: ObjectKind<T>): SharedInformer<T> {
    const id = `${kind.apiVersion}/${kind.kind}`;
    let informer = this.informers.get(id);
    if (!informer) {
      const byObject = this.byObject(kind);
      informer = new SharedInformer<KubeObject>(this.client, kind, {
        ...this.options.watcher,
        namespaces: byObject?.namespace ? [byObject.namespace] : this.namespaces,
        labelSelector: byObject?.labelSelector ?? this.options.defaultLabelSelector,
        fieldSelector: byObject?.fieldSelector ?? this.options.defaultFieldSelector,
        metadataOnly: this.options.metadataOnly?.some((m) => sameKind(m, kind)),
        transform: byObject?.transform ?? this.options.transform,
        resyncPeriodMs: this.options.syncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS,
        logger: this.options.logger?.child({ informer: kindName(kind) }),
      });
      this.informers.set(id, informer);
      if (this.signal) this.runs.push(informer.start(this.signal));
    }
    return informer as unknown as SharedInformer<T>;
  }

  /**
   * Indexes `field` of `kind` for `list(kind, { matchingFields })` (controller-runtime's
   * `IndexField`). The kind's informer is created if needed; an index added after it synced is
   * built from the objects already cached (as client-go's `AddIndexers` on a running informer).
   */
  indexField<T extends KubeObject>(kind: ObjectKind<T>, field: string, extract: FieldExtractor<T>): void {
    if (!field.trim()) throw new Error(`indexField(${kindName(kind)}): the field name is empty`);
    const informer = this.informerFor(kind);
    if (informer.hasIndex(fieldIndexName(field)))
      throw new Error(`indexField(${kindName(kind)}, '${field}'): the field is indexed already`);
    informer.addIndex(fieldIndexName(field), fieldIndexFunc(extract));
  }

  /**
   * Caches namespaced kinds of `namespaces` from now on (empty: all), like JOSDK's
   * `changeNamespaces`: informers stop watching removed namespaces and drop their objects without
   * delete events; added namespaces are listed and their objects arrive as adds. Kinds with a
   * namespace of their own in `byObject` keep it. Resolves once every added namespace has listed.
   */
  async changeNamespaces(namespaces: string[]): Promise<void> {
    this.namespaces = [...new Set(namespaces)];
    const changing = [...this.informers.values()].filter((i) => i.kind.namespaced && !this.byObject(i.kind)?.namespace);
    const synced = await Promise.all(changing.map((informer) => informer.changeNamespaces(this.namespaces)));
    if (!synced.every(Boolean)) throw new Error('changeNamespaces: the cache stopped before the new namespaces synced');
  }

  /** True when an informer for `kind` exists already. */
  hasInformerFor(kind: ObjectKind): boolean {
    return this.informers.has(`${kind.apiVersion}/${kind.kind}`);
  }

  /**
   * Whether a new informer for `kind` would cache Secrets, ConfigMaps or Pods of the whole
   * cluster with no namespace or selector.
   */
  wouldCacheClusterWide(kind: ObjectKind): boolean {
    if (!SENSITIVE_KINDS.has(`${kind.apiVersion}/${kind.kind}`) || this.namespaces.length > 0) return false;
    if (this.options.defaultLabelSelector || this.options.defaultFieldSelector) return false;
    const byObject = this.byObject(kind);
    return !byObject?.namespace && !byObject?.labelSelector && !byObject?.fieldSelector;
  }

  get logger(): Logger | undefined {
    return this.options.logger;
  }

  isStarted(): boolean {
    return this.signal !== undefined && !this.signal.aborted;
  }

  /**
   * Audits every running informer now: a consistent metadata-only list against the cache,
   * differences that outlive `graceMs` repaired by a relist and counted in
   * `kubeforge_cache_missed_events_total`. With `everyMs`, audits that often while the cache runs
   * (from its start) and returns a function that stops it.
   */
  audit(options?: AuditOptions): Promise<AuditReport>;
  audit(options: PeriodicAuditOptions): () => void;
  audit(options: AuditOptions & { everyMs?: number } = {}): Promise<AuditReport> | (() => void) {
    const { everyMs } = options;
    if (everyMs === undefined) return this.auditNow(options, this.signal);
    if (!(everyMs > 0)) throw new RangeError(`cache.audit: everyMs must be > 0, got ${everyMs}`);
    const stop = new AbortController();
    void this.auditEvery({ ...options, everyMs }, stop.signal);
    return () => stop.abort();
  }

  private async auditNow(options: AuditOptions, signal?: AbortSignal): Promise<AuditReport> {
    const report: AuditReport = { missed: {}, total: 0, audited: [] };
    for (const informer of [...this.informers.values()]) {
      if (!informer.isRunning() || signal?.aborted) continue;
      const missed = await informer.audit(options, signal);
      report.audited.push(kindName(informer.kind));
      report.missed[kindName(informer.kind)] = missed;
      report.total += missed.added + missed.updated + missed.deleted;
    }
    return report;
  }

  private async auditEvery(options: PeriodicAuditOptions, stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      const running = this.signal;
      await sleep(options.everyMs, running ? AbortSignal.any([stop, running]) : stop);
      if (stop.aborted || this.signal?.aborted) return;
      if (!this.signal) continue;
      await this.auditNow(options, AbortSignal.any([stop, this.signal])).catch((err: unknown) =>
        this.options.logger?.warn({ err }, 'cache audit failed; trying again next period'),
      );
    }
  }

  /**
   * Throws naming every informer that heard nothing from the apiserver (no list, watch, event or
   * bookmark) for longer than its `stuckAfterMs`: the manager's `/readyz` check `informers`.
   */
  checkLiveness(now = Date.now()): void {
    const stuck: string[] = [];
    for (const informer of this.informers.values()) {
      for (const watch of informer.liveness(now)) {
        if (!watch.stuck) continue;
        const error = informer.lastError instanceof Error ? `; last error: ${informer.lastError.message}` : '';
        const where = watch.namespace ? ` in ${watch.namespace}` : '';
        const seconds = Math.round((now - watch.lastActivityAt) / 1000);
        stuck.push(`${kindName(informer.kind)}${where}: nothing from the apiserver for ${seconds} s${error}`);
      }
    }
    if (stuck.length > 0) throw new Error(`informers stuck: ${stuck.join('; ')}`);
  }

  /**
   * Runs every informer until `signal` aborts. The informers (two listeners each) and sync waits
   * listen on the cache's own signal, which follows `signal` through one listener: a cache of many
   * kinds adds one listener to the caller's signal, not one per kind past Node's warning at 10.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.signal) throw new Error('the cache was started already');
    const stop = following(signal).signal;
    this.signal = stop;
    if (this.options.audit) this.audit(this.options.audit);
    for (const informer of this.informers.values()) this.runs.push(informer.start(stop));
    if (!stop.aborted) await new Promise((resolve) => stop.addEventListener('abort', resolve, { once: true }));
    await Promise.allSettled(this.runs);
  }

  /** Waits for every informer's first list (one listener on `signal`, however many informers). */
  async waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    const waiting = following(signal);
    try {
      const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(waiting.signal)));
      return results.every(Boolean);
    } finally {
      waiting.release();
    }
  }

  /** Waits for one informer's first list; false when the cache is not running or stops first. */
  waitForInformerSync(informer: { waitForSync(signal: AbortSignal): Promise<boolean> }): Promise<boolean> {
    if (!this.signal) return Promise.resolve(false);
    return informer.waitForSync(this.signal);
  }

  /** True once every informer has listed once. */
  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  private byObject(kind: ObjectKind): ByObjectOptions | undefined {
    return this.options.byObject?.find((b) => sameKind(b.kind, kind));
  }
}

/** A cache of informers for `client`'s apiserver. */
export function newCache(client: DirectClient, options: CacheOptions = {}): InformerCache {
  return new InformerCache(client, options);
}

/**
 * A signal that aborts when `signal` does, through one listener on it, and takes any number of
 * listeners itself; `release` removes that one listener.
 */
function following(signal: AbortSignal): { signal: AbortSignal; release(): void } {
  const follower = new AbortController();
  setMaxListeners(0, follower.signal);
  const abort = () => follower.abort(signal.reason);
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  return { signal: follower.signal, release: () => signal.removeEventListener('abort', abort) };
}
