/**
 * The informer cache: one shared informer per kind, all sharing the cache's lifecycle. Informers
 * asked for before start begin with it, later ones start at once. Scope per kind comes from the
 * options: a namespace for all, label/field selectors and namespace per kind (`byObject`),
 * metadata-only kinds, and a transform.
 */
import type { Logger } from 'pino';
import type { DirectClient } from '../client/index.js';
import { kindName } from '../kinds.js';
import type { Cache, KubeObject, ObjectKind } from '../types.js';
import { SharedInformer } from './informer.js';
import type { Transform, WatcherOptions } from './watcher.js';

/** How to cache one kind. */
export interface ByObjectOptions {
  kind: ObjectKind;
  /** Watch only this namespace (overrides the cache-wide namespace). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  transform?: Transform;
}

export interface CacheOptions {
  /** Cache namespaced kinds of this namespace only (cluster-scoped kinds are unaffected). */
  namespace?: string;
  byObject?: ByObjectOptions[];
  /** Kinds to cache as PartialObjectMetadata (metadata only). */
  metadataOnly?: ObjectKind[];
  /** Applied to every object before it is stored; default strips managedFields. */
  transform?: Transform;
  logger?: Logger;
  /** Tuning of every informer's watcher (timeouts, backoff, page size). */
  watcher?: Pick<WatcherOptions, 'timeoutSeconds' | 'idleTimeoutMs' | 'backoff' | 'pageSize' | 'onError'>;
}

/** Kinds that hold much data or secrets: caching them cluster-wide by accident deserves a warning. */
const SENSITIVE_KINDS = new Set(['v1/Secret', 'v1/ConfigMap', 'v1/Pod']);

export class InformerCache implements Cache {
  readonly needLeaderElection = false;
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly runs: Promise<void>[] = [];
  private signal?: AbortSignal;

  constructor(
    private readonly client: DirectClient,
    private readonly options: CacheOptions = {},
  ) {}

  /** The informer for `kind`, created (and started, if the cache runs) on first use. */
  informerFor<T extends KubeObject>(kind: ObjectKind<T>): SharedInformer<T> {
    const id = `${kind.apiVersion}/${kind.kind}`;
    let informer = this.informers.get(id);
    if (!informer) {
      const byObject = this.options.byObject?.find(
        (b) => b.kind.apiVersion === kind.apiVersion && b.kind.kind === kind.kind,
      );
      const namespace = kind.namespaced ? (byObject?.namespace ?? this.options.namespace) : undefined;
      informer = new SharedInformer<KubeObject>(this.client, kind, {
        ...this.options.watcher,
        namespace,
        labelSelector: byObject?.labelSelector,
        fieldSelector: byObject?.fieldSelector,
        metadataOnly: this.options.metadataOnly?.some((m) => m.apiVersion === kind.apiVersion && m.kind === kind.kind),
        transform: byObject?.transform ?? this.options.transform,
        logger: this.options.logger?.child({ informer: kindName(kind) }),
      });
      this.informers.set(id, informer);
      if (this.signal) this.runs.push(informer.start(this.signal));
    }
    return informer as unknown as SharedInformer<T>;
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
    if (!SENSITIVE_KINDS.has(`${kind.apiVersion}/${kind.kind}`) || this.options.namespace) return false;
    const byObject = this.options.byObject?.find(
      (b) => b.kind.apiVersion === kind.apiVersion && b.kind.kind === kind.kind,
    );
    return !byObject?.namespace && !byObject?.labelSelector && !byObject?.fieldSelector;
  }

  get logger(): Logger | undefined {
    return this.options.logger;
  }

  isStarted(): boolean {
    return this.signal !== undefined && !this.signal.aborted;
  }

  /** Runs every informer until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.signal) throw new Error('the cache was started already');
    this.signal = signal;
    for (const informer of this.informers.values()) this.runs.push(informer.start(signal));
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    await Promise.allSettled(this.runs);
  }

  async waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
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
}

/** A cache of informers for `client`'s apiserver. */
export function newCache(client: DirectClient, options: CacheOptions = {}): InformerCache {
  return new InformerCache(client, options);
}
