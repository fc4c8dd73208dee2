/**
 * The cache audit: what a consistent, metadata-only list of the apiserver says against what one
 * informer's store holds. The list is consistent (no `resourceVersion=0`): such a list may be older
 * than the cache and would report misses that are not; apiservers since 1.31 serve a consistent
 * list from their watch cache, so it costs about what a `resourceVersion=0` one does. A difference
 * is a missed event only if it outlives a grace period in which the watch could still deliver it;
 * the informer repairs it by relisting, which synthesises the missed adds, updates and deletes.
 * They are counted in `kubeforge_cache_missed_events_total`.
 */
import { Counter } from 'prom-client';
import type { DirectClient } from '../client/index.js';
import { kindName } from '../kinds.js';
import { objectKeyString } from '../keys.js';
import { metricsRegistry } from '../metrics/index.js';
import type { KubeObject, ObjectKind } from '../types.js';

const missedEventsTotal = new Counter({
  name: 'kubeforge_cache_missed_events_total',
  help: 'Events the informer cache missed, found by an audit and repaired (synthesised), per kind and type',
  labelNames: ['kind', 'type'],
  registers: [metricsRegistry],
});

/** Missed events one audit found and repaired. */
export interface MissedEvents {
  added: number;
  updated: number;
  deleted: number;
}

/** One audit of a cache: the missed events per kind (`ConfigMap/v1`), and the kinds audited. */
export interface AuditReport {
  missed: Record<string, MissedEvents>;
  /** Sum over every kind. */
  total: number;
  audited: string[];
}

export interface AuditOptions {
  /** How long a difference must outlive the list before it counts as missed. Default 2 s. */
  graceMs?: number;
}

/** key → resourceVersion */
export type Versions = Map<string, string | undefined>;

/** The objects a consistent, metadata-only list of the informer's scope names, by key. */
export async function serverVersions(
  client: DirectClient,
  kind: ObjectKind,
  scope: { namespace?: string; labelSelector?: string; fieldSelector?: string },
  signal?: AbortSignal,
): Promise<{ versions: Versions; resourceVersion: string }> {
  const versions: Versions = new Map();
  let token: string | undefined;
  let resourceVersion = '';
  do {
    const page = await client.listPage(kind, { ...scope, metadataOnly: true, limit: 500, continue: token, signal });
    for (const item of page.items) versions.set(objectKeyString(item), item.metadata?.resourceVersion);
    token = page.continue;
    resourceVersion = page.resourceVersion;
  } while (token);
  return { versions, resourceVersion };
}

export function cachedVersions(objects: KubeObject[]): Versions {
  return new Map(objects.map((object) => [objectKeyString(object), object.metadata?.resourceVersion]));
}

/** Whether resourceVersion `a` is newer than `b`, when both are the apiserver's integers. */
function newer(a: string | undefined, b: string): boolean {
  return a !== undefined && /^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) > BigInt(b);
}

/**
 * Keys where the cache disagrees with the list, with the cache's version at that moment. A cached
 * object newer than the list changed after it and is left out.
 */
export function differences(server: Versions, listVersion: string, cache: Versions): Versions {
  const suspects: Versions = new Map();
  for (const [key, version] of server) {
    const cached = cache.get(key);
    if (!cache.has(key) || (cached !== version && !newer(cached, listVersion))) suspects.set(key, cached);
  }
  for (const [key, cached] of cache) if (!server.has(key) && !newer(cached, listVersion)) suspects.set(key, cached);
  return suspects;
}

/** The suspects the cache still holds as it did (the watch did not deliver anything for them meanwhile). */
export function unchanged(suspects: Versions, cache: Versions): string[] {
  return [...suspects].filter(([key, version]) => cache.get(key) === version).map(([key]) => key);
}

export function countMissed(kind: ObjectKind, missed: MissedEvents): void {
  const name = kindName(kind);
  if (missed.added) missedEventsTotal.inc({ kind: name, type: 'add' }, missed.added);
  if (missed.updated) missedEventsTotal.inc({ kind: name, type: 'update' }, missed.updated);
  if (missed.deleted) missedEventsTotal.inc({ kind: name, type: 'delete' }, missed.deleted);
}
