import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { controllerMetrics } from '../metrics/index.js';
import { generationChanged } from '../predicates/index.js';
import { ItemExponentialFailureRateLimiter } from '../queue/index.js';
import type { Cache, EventHandler, Informer, KubeObject, ObjectKind, Reconciler, Request, Runnable } from '../types.js';
import { controllerFor } from './builder.js';
import { Result, TerminalError } from './result.js';

const kind = (k: string): ObjectKind => ({
  group: 'test.io',
  version: 'v1',
  apiVersion: 'test.io/v1',
  kind: k,
  plural: `${k.toLowerCase()}s`,
  namespaced: true,
});
const Parent = kind('Parent');
const Child = kind('Child');

/** A hand-driven cache: tests push events and decide when it has synced. */
class ScriptedCache implements Cache {
  readonly needLeaderElection = false;
  private readonly informers = new Map<string, { handlers: Set<EventHandler>; objects: KubeObject[] }>();
  private synced = false;
  private onSync: (() => void)[] = [];

  informerFor<T extends KubeObject>(k: ObjectKind<T>): Informer<T> {
    let entry = this.informers.get(k.kind);
    if (!entry) this.informers.set(k.kind, (entry = { handlers: new Set(), objects: [] }));
    const { handlers, objects } = entry;
    return {
      kind: k,
      addEventHandler: (h) => (handlers.add(h as EventHandler), () => handlers.delete(h as EventHandler)),
      addIndex: () => {},
      hasSynced: () => this.synced,
      waitForSync: (signal) => this.waitForCacheSync(signal),
      get: () => undefined,
      list: () => objects as T[],
      byIndex: () => [],
    };
  }
  seed(k: ObjectKind, object: KubeObject): void {
    this.informerFor(k);
    this.informers.get(k.kind)!.objects.push(object);
  }
  emit(k: ObjectKind, event: 'add' | 'update', object: KubeObject, old?: KubeObject): void {
    for (const h of this.informers.get(k.kind)?.handlers ?? []) {
      if (event === 'add') h.onAdd?.(object, false);
      else h.onUpdate?.(old!, object);
    }
  }
  sync(): void {
    this.synced = true;
    for (const resolve of this.onSync.splice(0)) resolve();
  }
  async start(): Promise<void> {}
  waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.onSync.push(() => resolve(true));
      signal.addEventListener('abort', () => resolve(false));
    });
  }
}

function host(cache: Cache) {
  const runnables: Runnable[] = [];
  return { cache, logger: pino({ level: 'silent' }), add: (r: Runnable) => runnables.push(r), runnables };
}

const obj = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, namespace: 'ns', ...extra },
});
const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
};

class Recording implements Reconciler {
  calls: Request[] = [];
  active = new Map<string, number>();
  maxActivePerKey = 0;
  constructor(private readonly behave: (r: Request, n: number) => Promise<Result> = async () => Result.done()) {}
  async reconcile(request: Request): Promise<Result> {
    const key = `${request.namespace}/${request.name}`;
    this.active.set(key, (this.active.get(key) ?? 0) + 1);
    this.maxActivePerKey = Math.max(this.maxActivePerKey, this.active.get(key)!);
    this.calls.push(request);
    try {
      return await this.behave(request, this.calls.filter((c) => c.name === request.name).length);
    } finally {
      this.active.set(key, this.active.get(key)! - 1);
    }
  }
}

describe('controller', () => {
  it('starts workers only after the caches synced, then reconciles objects already cached', async () => {
    const cache = new ScriptedCache();
    cache.seed(Parent, obj('a'));
    const reconciler = new Recording();
    const h = host(cache);
    const controller = controllerFor(h, Parent).named('sync-test').complete(reconciler);
    const stop = new AbortController();
    const running = controller.start(stop.signal);
    cache.emit(Parent, 'add', obj('b'));
    await new Promise((r) => setTimeout(r, 20));
    expect(reconciler.calls).toEqual([]);
    cache.sync();
    await until(() => reconciler.calls.length === 2);
    expect(reconciler.calls.map((c) => c.name).sort()).toEqual(['a', 'b']);
    expect(h.runnables).toEqual([controller]);
    stop.abort();
    await running;
  });

  it('requeues with backoff when reconcile throws and forgets the backoff on success', async () => {
    const cache = new ScriptedCache();
    const reconciler = new Recording(async (_r, n) => {
      if (n < 3) throw new Error(`attempt ${n} failed`);
      return Result.done();
    });
    const controller = controllerFor(host(cache), Parent)
      .named('backoff-test')
      .withOptions({ rateLimiter: new ItemExponentialFailureRateLimiter<string>(20, 1000) })
      .complete(reconciler);
    const stop = new AbortController();
    cache.sync();
    const running = controller.start(stop.signal);
    const started = Date.now();
    cache.emit(Parent, 'add', obj('flaky'));
    await until(() => reconciler.calls.length === 3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20 + 40 - 5);
    expect(controller.queue.numRequeues('ns/flaky')).toBe(0);
    const errors = await controllerMetrics.reconcileErrors.get();
    expect(errors.values.find((v) => v.labels.controller === 'backoff-test')?.value).toBe(2);
    stop.abort();
    await running;
  });

  it('does not retry a TerminalError, and counts non-Error throws as panics and retries them', async () => {
    const cache = new ScriptedCache();
    const reconciler = new Recording(async (r, n) => {
      if (r.name === 'bad') throw new TerminalError('spec.size must be positive');
      if (n === 1) throw 'boom';
      return Result.done();
    });
    const controller = controllerFor(host(cache), Parent)
      .named('terminal-test')
      .withOptions({ rateLimiter: new ItemExponentialFailureRateLimiter<string>(1, 10) })
      .complete(reconciler);
    const stop = new AbortController();
    cache.sync();
    const running = controller.start(stop.signal);
    cache.emit(Parent, 'add', obj('bad'));
    cache.emit(Parent, 'add', obj('panicky'));
    await until(() => reconciler.calls.filter((c) => c.name === 'panicky').length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(reconciler.calls.filter((c) => c.name === 'bad')).toHaveLength(1);
    const value = async (m: typeof controllerMetrics.panics) =>
      (await m.get()).values.find((v) => v.labels.controller === 'terminal-test')?.value;
    expect(await value(controllerMetrics.terminalErrors)).toBe(1);
    expect(await value(controllerMetrics.panics)).toBe(1);
    stop.abort();
    await running;
  });

  it('honours requeueAfter and never runs one key on two workers at once', async () => {
    const cache = new ScriptedCache();
    const reconciler = new Recording(async (_r, n) => {
      await new Promise((r) => setTimeout(r, 10));
      return n < 3 ? Result.requeueAfter(15) : Result.done();
    });
    const controller = controllerFor(host(cache), Parent)
      .named('requeue-test')
      .withOptions({ maxConcurrentReconciles: 4 })
      .complete(reconciler);
    const stop = new AbortController();
    cache.sync();
    const running = controller.start(stop.signal);
    for (let i = 0; i < 20; i++) cache.emit(Parent, 'add', obj('one', { resourceVersion: String(i) }));
    await until(() => reconciler.calls.length >= 3);
    for (let i = 0; i < 20; i++) cache.emit(Parent, 'add', obj('one', { resourceVersion: String(100 + i) }));
    await new Promise((r) => setTimeout(r, 100));
    expect(reconciler.maxActivePerKey).toBe(1);
    expect(reconciler.calls.length).toBeLessThanOrEqual(5);
    stop.abort();
    await running;
  });

  it('maps owned objects to their controlling owner and applies event filters', async () => {
    const cache = new ScriptedCache();
    const reconciler = new Recording();
    const controller = controllerFor(host(cache), Parent)
      .owns(Child)
      .withEventFilter(generationChanged())
      .named('owns-test')
      .complete(reconciler);
    const stop = new AbortController();
    cache.sync();
    const running = controller.start(stop.signal);
    const owner = [{ apiVersion: 'test.io/v1', kind: 'Parent', name: 'p', uid: 'u', controller: true }];
    cache.emit(Child, 'add', obj('c', { ownerReferences: owner }));
    await until(() => reconciler.calls.length === 1);
    expect(reconciler.calls[0]).toEqual({ namespace: 'ns', name: 'p' });
    cache.emit(
      Child,
      'update',
      obj('c', { ownerReferences: owner, generation: 1, resourceVersion: '2' }),
      obj('c', { ownerReferences: owner, generation: 1, resourceVersion: '1' }),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(reconciler.calls).toHaveLength(1);
    stop.abort();
    await running;
  });

  it('queues a key that the old and the new object of an update both map to once, sync or async map', async () => {
    const cache = new ScriptedCache();
    const reconciler = new Recording();
    const controller = controllerFor(host(cache), Parent)
      .watches(Child, async (child) => [{ namespace: 'ns', name: String(child.metadata?.labels?.parent) }])
      .named('update-once-test')
      .complete(reconciler);
    const stop = new AbortController();
    cache.sync();
    const running = controller.start(stop.signal);
    cache.emit(Parent, 'update', obj('a', { resourceVersion: '2' }), obj('a', { resourceVersion: '1' }));
    await until(() => reconciler.calls.length >= 1);
    const child = (rv: string) => obj('c', { resourceVersion: rv, labels: { parent: 'b' } });
    cache.emit(Child, 'update', child('2'), child('1'));
    await until(() => reconciler.calls.some((c) => c.name === 'b'));
    cache.emit(Parent, 'add', obj('later'));
    await until(() => reconciler.calls.some((c) => c.name === 'later'));
    expect(reconciler.calls.map((c) => c.name)).toEqual(['a', 'b', 'later']);
    stop.abort();
    await running;
  });

  it('lets in-flight reconciles finish on shutdown and takes no new keys', async () => {
    const cache = new ScriptedCache();
    let finished = 0;
    const reconciler = new Recording(async () => {
      await new Promise((r) => setTimeout(r, 50));
      finished++;
      return Result.done();
    });
    const controller = controllerFor(host(cache), Parent)
      .named('shutdown-test')
      .withOptions({ maxConcurrentReconciles: 2 })
      .complete(reconciler);
    const stop = new AbortController();
    cache.sync();
    const running = controller.start(stop.signal);
    cache.emit(Parent, 'add', obj('x'));
    cache.emit(Parent, 'add', obj('y'));
    cache.emit(Parent, 'add', obj('z'));
    await until(() => reconciler.calls.length === 2);
    stop.abort();
    await running;
    expect(finished).toBe(2);
    expect(reconciler.calls).toHaveLength(2);
  });

  it('fails the controller on a panic when recoverPanic is off', async () => {
    const cache = new ScriptedCache();
    const reconciler = new Recording(async () => {
      throw { code: 42 };
    });
    const controller = controllerFor(host(cache), Parent)
      .named('strict-panic-test')
      .withOptions({ recoverPanic: false })
      .complete(reconciler);
    cache.sync();
    const running = controller.start(new AbortController().signal);
    cache.emit(Parent, 'add', obj('p'));
    await expect(running).rejects.toThrow('reconciler panicked: {"code":42}');
  });

  it('aborts the signal of a reconcile past reconcileTimeoutMs and retries the key', async () => {
    const cache = new ScriptedCache();
    const seen: AbortSignal[] = [];
    const controller = controllerFor(host(cache), Parent)
      .named('timeout-unit-test')
      .withOptions({ reconcileTimeoutMs: 20, rateLimiter: new ItemExponentialFailureRateLimiter<string>(1, 10) })
      .complete({
        async reconcile(_request, ctx) {
          seen.push(ctx.signal);
          if (seen.length === 1)
            await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
          return Result.done();
        },
      });
    cache.sync();
    const stop = new AbortController();
    const running = controller.start(stop.signal);
    cache.emit(Parent, 'add', obj('slow'));
    await until(() => seen.length === 2);
    expect(String(seen[0].reason)).toContain('reconcile timed out after 20 ms');
    expect(seen[1].aborted).toBe(false);
    stop.abort();
    await running;
  });

  it('fails start naming the kinds not synced within cacheSyncTimeoutMs', async () => {
    const controller = controllerFor(host(new ScriptedCache()), Parent)
      .owns(Child)
      .named('sync-timeout-unit-test')
      .withOptions({ cacheSyncTimeoutMs: 10 })
      .complete(new Recording());
    await expect(controller.start(new AbortController().signal)).rejects.toThrow(
      'controller sync-timeout-unit-test: timed out after 10 ms waiting for caches to sync: Parent (test.io/v1); Child (test.io/v1)',
    );
  });

  it('refuses reconcileAll before the cache synced and bad timeouts', () => {
    const controller = controllerFor(host(new ScriptedCache()), Parent)
      .named('all-unit-test')
      .complete(new Recording());
    expect(() => controller.reconcileAll()).toThrow('reconcileAll before the cache of Parent has synced');
    expect(() =>
      controllerFor(host(new ScriptedCache()), Parent).withOptions({ reconcileTimeoutMs: 0 }).complete(new Recording()),
    ).toThrow('reconcileTimeoutMs must be a positive number of milliseconds, got 0');
  });
});
