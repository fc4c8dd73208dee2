/**
 * An event recorder writing events.k8s.io/v1 Events, de-duplicated like client-go's new events
 * library: the first occurrence creates an Event; repeats of the same (object, type, reason,
 * action, note) within six minutes bump its `series.count` and `lastObservedTime` instead of
 * creating more Events, with at most one write per Event in flight. Recording never throws and
 * never blocks a reconcile; failures are logged.
 */
import { EventV1 } from '../kinds.js';
import { microTime } from '../leader/index.js';
import type { Logger } from '../log.js';
import type { Client, KubeObject, ObjectKind } from '../types.js';

export type EventType = 'Normal' | 'Warning';

export interface EventDetails {
  type: EventType;
  /** Why the action was taken, UpperCamelCase ('Scaled', 'FailedCreate'). */
  reason: string;
  /** What was done ('Reconcile', 'Create'). Default: the reason. */
  action?: string;
  /** Human-readable description (at most 1 kB). */
  note?: string;
  /** A second object the event is about. */
  related?: KubeObject;
}

export interface EventRecorder {
  /** Records an event about `regarding`; pass `kind` when the object lacks apiVersion/kind. */
  event(regarding: KubeObject, details: EventDetails, kind?: ObjectKind): void;
  /** Resolves once every write started so far has finished. */
  flush(): Promise<void>;
}

const SERIES_WINDOW_MS = 6 * 60 * 1000;
const MAX_TRACKED = 4096;

interface Tracked {
  namespace: string;
  name: string;
  count: number;
  firstSeen: number;
  created: Promise<boolean>;
  writing?: Promise<void>;
  dirty: boolean;
}

function reference(object: KubeObject, kind?: ObjectKind) {
  const m = object.metadata ?? {};
  return {
    apiVersion: kind?.apiVersion ?? object.apiVersion,
    kind: kind?.kind ?? object.kind,
    name: m.name,
    namespace: m.namespace,
    uid: m.uid,
    resourceVersion: m.resourceVersion,
  };
}

export function newEventRecorder(
  client: Client,
  options: { reportingController: string; reportingInstance: string; logger: Logger },
): EventRecorder {
  const tracked = new Map<string, Tracked>();
  const pending = new Set<Promise<unknown>>();
  const log = options.logger.child({ eventRecorder: options.reportingController });

  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
    return promise;
  };

  const writeSeries = async (entry: Tracked): Promise<void> => {
    if (!(await entry.created)) return;
    while (entry.dirty) {
      entry.dirty = false;
      const series = { count: entry.count, lastObservedTime: microTime() };
      try {
        await client.patch(
          EventV1,
          { namespace: entry.namespace, name: entry.name },
          { type: 'merge', body: { series } },
        );
      } catch (err) {
        log.warn({ err, event: `${entry.namespace}/${entry.name}` }, 'failed to update event series');
      }
    }
    entry.writing = undefined;
  };

  return {
    event(regarding, details, kind) {
      const ref = reference(regarding, kind);
      if (!ref.name) {
        log.warn({ reason: details.reason }, 'cannot record an event about an object without a name');
        return;
      }
      const action = details.action ?? details.reason;
      const note = (details.note ?? '').slice(0, 1024);
      const related = details.related ? reference(details.related) : undefined;
      const key = JSON.stringify([
        ref.uid ?? `${ref.namespace}/${ref.name}`,
        details.type,
        details.reason,
        action,
        note,
        related?.uid,
      ]);
      const now = Date.now();
      const existing = tracked.get(key);
      if (existing && now - existing.firstSeen < SERIES_WINDOW_MS) {
        existing.count++;
        existing.dirty = true;
        existing.writing ??= track(writeSeries(existing));
        return;
      }
      const namespace = ref.namespace ?? 'default';
      const name = `${ref.name}.${(BigInt(now) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000))).toString(16)}`;
      const body = {
        metadata: { name, namespace },
        eventTime: microTime(new Date(now)),
        reportingController: options.reportingController,
        reportingInstance: options.reportingInstance,
        action,
        reason: details.reason,
        note,
        type: details.type,
        regarding: ref,
        ...(related ? { related } : {}),
      };
      const created = track(
        client.create(EventV1, body as never).then(
          () => true,
          (err) => {
            log.warn(
              { err, reason: details.reason, object: `${ref.namespace ?? ''}/${ref.name}` },
              'failed to record event',
            );
            tracked.delete(key);
            return false;
          },
        ),
      );
      tracked.delete(key);
      tracked.set(key, { namespace, name, count: 1, firstSeen: now, created, dirty: false });
      if (tracked.size > MAX_TRACKED) tracked.delete(tracked.keys().next().value as string);
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
