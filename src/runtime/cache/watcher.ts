/**
 * The watcher: list (paginated) then watch from the list's resourceVersion with bookmarks,
 * forever. A dropped or ended watch resumes from the last resourceVersion seen; 410 Gone (at
 * connect or in the stream) relists; other failures back off 0.8 s → 30 s with jitter, at least
 * the Retry-After the apiserver asked for (429/503). A watch that cannot go silent: when no event
 * and no bookmark arrives within the liveness window (the apiserver sends a bookmark about every
 * minute) the watch is dead — closed and resumed from the last resourceVersion at once. It hands
 * complete lists and single changes to one sink, in order, and says when it last heard from the
 * apiserver (`lastActivityAt`, `isStuck`).
 */
import type { Logger } from 'pino';
import { ApiError, describeRequest, isGone, WatchIdleTimeoutError, type DirectClient } from '../client/index.js';
import { sleep } from '../sleep.js';
import type { KubeObject, ObjectKind } from '../types.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { SharedStrings, shareObjectStrings } from './shared-strings.js';
import { explainWatchFailure, ReportThrottle } from './watch-failure.js';

/** Rewrites an object as it arrives (drop fields you never read to save memory). */
export type Transform = <T extends KubeObject>(object: T) => T;

export type WatcherEvent<T extends KubeObject> =
  /** A complete list of the objects (first list and every relist). */
  { type: 'list'; objects: T[]; resourceVersion: string } | { type: 'added' | 'modified' | 'deleted'; object: T };

export interface WatcherOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Applied to every listed and watched object as it arrives (e.g. to drop managedFields). */
  transform?: Transform;
  /** Watch PartialObjectMetadata instead of whole objects. */
  metadataOnly?: boolean;
  /** List page size. Default 500. */
  pageSize?: number;
  /** Server-side watch timeout; default a random 300–600 s per watch, as client-go does. */
  timeoutSeconds?: number;
  /**
   * The liveness window: a watch that delivers no event and no bookmark (no byte at all) for this
   * long is dead, and is resumed from the last resourceVersion at once (`stats.stalls`). Default
   * 150 s — the apiserver sends a bookmark about every minute; 0 disables it.
   */
  idleTimeoutMs?: number;
  /**
   * How long without a completed list, an opened watch, an event or a bookmark before `isStuck()`
   * says so (the manager's /readyz reports it). Default twice the liveness window (5 min).
   */
  stuckAfterMs?: number;
  backoff?: BackoffOptions;
  logger?: Logger;
  /** Called with every failure before the watcher retries (a dead watch too, as a `WatchIdleTimeoutError`), for logs and tests. */
  onError?: (error: unknown) => void;
}

/** Counters of what a watcher did, for diagnostics and tests. */
export interface WatcherStats {
  /** Complete lists (the first one and every relist). */
  lists: number;
  /** Watch requests opened. */
  watches: number;
  /** Failures (each one retried). */
  errors: number;
  /** Watches found dead (no event or bookmark within the liveness window) and resumed. */
  stalls: number;
}

/** The default liveness window: the apiserver sends a bookmark about every minute. */
export const DEFAULT_WATCH_LIVENESS_MS = 150_000;

/** Milliseconds the apiserver asked to wait (Status details.retryAfterSeconds of a 429 or 503); 0 otherwise. */
function retryAfterMs(error: unknown): number {
  return error instanceof ApiError ? (error.details?.retryAfterSeconds ?? 0) * 1000 : 0;
}

export class Watcher<T extends KubeObject> {
  readonly stats: WatcherStats = { lists: 0, watches: 0, errors: 0, stalls: 0 };
  /** `Date.now()` of the last completed list, opened watch, event or bookmark. */
  lastActivityAt = Date.now();
  private readonly backoff: Backoff;
  private readonly description: string;
  /** The resourceVersion to resume from; undefined means the next round lists. */
  private resourceVersion?: string;
  /** Aborts the current watch request (to relist on demand). */
  private currentWatch?: AbortController;
  private relistRequested = false;
  /** A missing CRD or RBAC explained once, then once a minute while it lasts. */
  private readonly explained = new ReportThrottle();
  /** Strings the objects of this watch repeat, held once. */
  private readonly strings = new SharedStrings();

  constructor(
    private readonly client: DirectClient,
    readonly kind: ObjectKind<T>,
    private readonly options: WatcherOptions = {},
  ) {
    this.backoff = new Backoff(options.backoff);
    this.description = describeRequest('watch', kind) + (options.namespace ? ` in ${options.namespace}` : '');
  }

  /** The last resourceVersion seen (list, event or bookmark). */
  get lastResourceVersion(): string | undefined {
    return this.resourceVersion;
  }

  get livenessWindowMs(): number {
    return this.options.idleTimeoutMs ?? DEFAULT_WATCH_LIVENESS_MS;
  }

  /** Whether nothing came from the apiserver for longer than `stuckAfterMs` (lists and watches keep failing). */
  isStuck(now = Date.now()): boolean {
    return (
      now - this.lastActivityAt >
      (this.options.stuckAfterMs ?? 2 * (this.livenessWindowMs || DEFAULT_WATCH_LIVENESS_MS))
    );
  }

  /** Ends the current watch and lists again (the sink gets a `list`); used to repair a cache. */
  relist(): void {
    this.relistRequested = true;
    this.currentWatch?.abort();
  }

  /** Lists and watches until `signal` aborts, calling `sink` for every change, in order. */
  async run(signal: AbortSignal, sink: (event: WatcherEvent<T>) => void): Promise<void> {
    this.lastActivityAt = Date.now();
    while (!signal.aborted) {
      let verb: 'list' | 'watch' = 'list';
      try {
        if (this.resourceVersion === undefined || this.relistRequested) {
          this.relistRequested = false;
          const list = await this.listAll(signal);
          this.stats.lists++;
          this.lastActivityAt = Date.now();
          this.explained.reset();
          sink({ type: 'list', ...list });
          this.resourceVersion = list.resourceVersion;
        }
        verb = 'watch';
        const started = Date.now();
        const delivered = await this.watchOnce(signal, sink);
        // A watch that ended normally restarts at once, unless the server ends them instantly (no hot loop).
        if (delivered === 0 && Date.now() - started < 1000) await sleep(this.backoff.next(), signal);
      } catch (error) {
        if (signal.aborted) break;
        if (this.relistRequested) continue;
        if (error instanceof WatchIdleTimeoutError) {
          this.stats.stalls++;
          this.options.onError?.(error);
          this.options.logger?.warn(
            { resourceVersion: this.resourceVersion },
            `${this.description}: no event or bookmark for ${this.livenessWindowMs} ms, the watch is dead; resuming`,
          );
          continue;
        }
        this.stats.errors++;
        this.options.onError?.(error);
        if (isGone(error)) {
          this.options.logger?.info({ err: error }, `${this.description}: resourceVersion expired, relisting`);
          this.resourceVersion = undefined;
          continue;
        }
        const delay = Math.max(this.backoff.next(), retryAfterMs(error));
        const explanation = explainWatchFailure(this.kind, verb, error, this.options.namespace);
        if (explanation === undefined) {
          this.options.logger?.warn({ err: error, retryInMs: delay }, `${this.description} failed; retrying`);
        } else if (this.explained.shouldReport(explanation)) {
          this.options.logger?.warn(`${explanation}; waiting for it (this line repeats once a minute)`);
        }
        await sleep(delay, signal);
      }
    }
  }

  private async listAll(signal: AbortSignal): Promise<{ objects: T[]; resourceVersion: string }> {
    const objects: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.client.listPage(this.kind, {
        namespace: this.options.namespace,
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
        metadataOnly: this.options.metadataOnly,
        limit: this.options.pageSize ?? 500,
        continue: token,
        signal,
      });
      for (const item of page.items) objects.push(this.prepare(item));
      token = page.continue;
      resourceVersion = page.resourceVersion;
    } while (token);
    return { objects, resourceVersion };
  }

  /** What the cache stores of a listed or watched object: transformed, with its repeated strings shared. */
  private prepare(object: T): T {
    const transformed = this.options.transform ? this.options.transform(object) : object;
    return shareObjectStrings(transformed, this.kind, this.strings);
  }

  /** One watch request, from the current resourceVersion until the stream ends; returns the events seen. */
  private async watchOnce(signal: AbortSignal, sink: (event: WatcherEvent<T>) => void): Promise<number> {
    const timeoutSeconds = this.options.timeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
    const current = new AbortController();
    this.currentWatch = current;
    const stopCurrent = () => current.abort();
    signal.addEventListener('abort', stopCurrent, { once: true });
    try {
      return await this.watchUntilEnd(timeoutSeconds, current.signal, sink);
    } finally {
      signal.removeEventListener('abort', stopCurrent);
      this.currentWatch = undefined;
    }
  }

  private async watchUntilEnd(
    timeoutSeconds: number,
    signal: AbortSignal,
    sink: (event: WatcherEvent<T>) => void,
  ): Promise<number> {
    const events = await this.client.watch(this.kind, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      metadataOnly: this.options.metadataOnly,
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds,
      idleTimeoutMs: this.livenessWindowMs,
      signal,
    });
    this.stats.watches++;
    this.lastActivityAt = Date.now();
    let count = 0;
    for await (const event of events) {
      count++;
      this.lastActivityAt = Date.now();
      const resourceVersion = event.object.metadata?.resourceVersion;
      const object = event.type === 'BOOKMARK' ? event.object : this.prepare(event.object);
      if (event.type === 'ADDED') sink({ type: 'added', object });
      else if (event.type === 'MODIFIED') sink({ type: 'modified', object });
      else if (event.type === 'DELETED') sink({ type: 'deleted', object });
      if (resourceVersion) this.resourceVersion = resourceVersion;
    }
    return count;
  }
}
