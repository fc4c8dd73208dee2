import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  WatchIdleTimeoutError,
  type DirectClient,
  type ListPageOptions,
  type ObjectList,
  type WatchEvent,
  type WatchOptions,
} from '../client/index.js';
import { ConfigMap } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { Watcher, type WatcherEvent } from './watcher.js';

/**
 * A scripted list/watch source: each call takes the next step of the script, so the tests pin
 * down what the watcher asks for, in which order, and when (fake timers). The real-apiserver
 * behaviour is covered by test/runtime/watcher*.test.ts.
 */
type Step =
  | { list: ObjectList<KubeObject> }
  | { fail: unknown }
  | { watch: (WatchEvent | Error)[] }
  /** A watch that stays open, silent, until its request is aborted. */
  | { hang: true };

function scripted(steps: Step[]) {
  const calls: string[] = [];
  const next = (what: string): Step => {
    const step = steps.shift();
    if (!step) return { fail: new Error('script exhausted') };
    calls.push(what);
    return step;
  };
  const client = {
    async listPage(_kind: unknown, options: ListPageOptions) {
      const step = next(`list${options.continue ? ` continue=${options.continue}` : ''}`);
      if ('fail' in step) throw step.fail;
      if (!('list' in step)) throw new Error('expected a list step');
      return step.list;
    },
    async watch(_kind: unknown, options: WatchOptions) {
      const step = next(`watch rv=${options.resourceVersion}`);
      if ('fail' in step) throw step.fail;
      if ('hang' in step) {
        return (async function* () {
          await new Promise((resolve) => options.signal?.addEventListener('abort', resolve, { once: true }));
          yield* [];
        })();
      }
      if (!('watch' in step)) throw new Error('expected a watch step');
      return (async function* () {
        for (const item of step.watch) {
          if (item instanceof Error) throw item;
          yield item;
        }
      })();
    },
  };
  return { client: client as unknown as DirectClient, calls };
}

const cm = (name: string, resourceVersion: string): KubeObject => ({
  metadata: { name, namespace: 'n', resourceVersion },
});
const gone = () => new ApiError('watch', 410, { kind: 'Status', reason: 'Expired', code: 410 });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function runUntil(
  watcher: Watcher<KubeObject>,
  calls: string[],
  count: number,
  sink: WatcherEvent<KubeObject>[] = [],
) {
  const stop = new AbortController();
  const done = watcher.run(stop.signal, (e) => sink.push(e));
  for (let i = 0; i < 200 && calls.length < count; i++) await vi.advanceTimersByTimeAsync(100);
  stop.abort();
  await done;
  return sink;
}

describe('Watcher', () => {
  it('pages through the list, then watches from the list resourceVersion', async () => {
    vi.useFakeTimers();
    const { client, calls } = scripted([
      { list: { items: [cm('a', '1')], resourceVersion: '10', continue: 'page2' } },
      { list: { items: [cm('b', '2')], resourceVersion: '10' } },
      { watch: [{ type: 'ADDED', object: cm('c', '11') }] },
    ]);
    const events = await runUntil(new Watcher(client, ConfigMap, { timeoutSeconds: 60 }), calls, 3);
    expect(calls.slice(0, 3)).toEqual(['list', 'list continue=page2', 'watch rv=10']);
    expect(events[0]).toMatchObject({ type: 'list', resourceVersion: '10' });
    expect((events[0] as { objects: KubeObject[] }).objects.map((o) => o.metadata?.name)).toEqual(['a', 'b']);
    expect(events[1]).toMatchObject({ type: 'added', object: { metadata: { name: 'c' } } });
  });

  it('restarts a watch that ended normally at once, from the last event or bookmark', async () => {
    vi.useFakeTimers();
    const { client, calls } = scripted([
      { list: { items: [], resourceVersion: '10' } },
      { watch: [{ type: 'ADDED', object: cm('a', '11') }] },
      { watch: [{ type: 'BOOKMARK', object: cm('', '15') }] },
      { watch: [] },
    ]);
    const watcher = new Watcher(client, ConfigMap, { timeoutSeconds: 60 });
    const stop = new AbortController();
    const done = watcher.run(stop.signal, () => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['list', 'watch rv=10', 'watch rv=11', 'watch rv=15']);
    stop.abort();
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(watcher.stats).toMatchObject({ lists: 1, errors: 0 });
  });

  it('relists at once on 410 Gone, whether at connect or in the stream', async () => {
    vi.useFakeTimers();
    const { client, calls } = scripted([
      { list: { items: [], resourceVersion: '10' } },
      { fail: gone() },
      { list: { items: [], resourceVersion: '20' } },
      { watch: [{ type: 'ADDED', object: cm('a', '21') }, gone()] },
      { list: { items: [], resourceVersion: '30' } },
      { watch: [] },
    ]);
    const watcher = new Watcher(client, ConfigMap, { timeoutSeconds: 60 });
    const stop = new AbortController();
    const done = watcher.run(stop.signal, () => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['list', 'watch rv=10', 'list', 'watch rv=20', 'list', 'watch rv=30']);
    stop.abort();
    await vi.advanceTimersByTimeAsync(1000);
    await done;
  });

  it('backs off 0.8 s, then 1.6 s between failures, and resumes from the last resourceVersion', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const refused = new Error('connect ECONNREFUSED');
    const { client, calls } = scripted([
      { list: { items: [], resourceVersion: '10' } },
      { watch: [{ type: 'MODIFIED', object: cm('a', '12') }, refused] },
      { fail: refused },
      { watch: [] },
    ]);
    const errors: unknown[] = [];
    const watcher = new Watcher(client, ConfigMap, {
      timeoutSeconds: 60,
      backoff: { jitter: 0 },
      onError: (e) => errors.push(e),
    });
    const stop = new AbortController();
    const done = watcher.run(stop.signal, () => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['list', 'watch rv=10']);
    await vi.advanceTimersByTimeAsync(799);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['list', 'watch rv=10', 'watch rv=12']);
    await vi.advanceTimersByTimeAsync(1599);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls[3]).toBe('watch rv=12');
    expect(errors).toEqual([refused, refused]);
    stop.abort();
    await vi.advanceTimersByTimeAsync(5000);
    await done;
    vi.restoreAllMocks();
  });
});

describe('watch liveness', () => {
  it('a dead watch resumes at once from the last resourceVersion, without a relist or a backoff', async () => {
    vi.useFakeTimers();
    const dead = new WatchIdleTimeoutError('no data');
    const errors: unknown[] = [];
    const { client, calls } = scripted([
      { list: { items: [], resourceVersion: '10' } },
      { watch: [{ type: 'MODIFIED', object: cm('a', '12') }, dead] },
      { hang: true },
    ]);
    const watcher = new Watcher(client, ConfigMap, { timeoutSeconds: 60, onError: (e) => errors.push(e) });
    const stop = new AbortController();
    const done = watcher.run(stop.signal, () => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['list', 'watch rv=10', 'watch rv=12']);
    expect(watcher.stats).toMatchObject({ lists: 1, stalls: 1, errors: 0 });
    expect(errors).toEqual([dead]);
    stop.abort();
    await done;
  });

  it('waits at least the Retry-After of a 429 before trying again', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const throttled = new ApiError('list', 429, {
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 5 },
    });
    const { client, calls } = scripted([
      { fail: throttled },
      { list: { items: [], resourceVersion: '10' } },
      { hang: true },
    ]);
    const watcher = new Watcher(client, ConfigMap, { timeoutSeconds: 60, backoff: { jitter: 0 } });
    const stop = new AbortController();
    const done = watcher.run(stop.signal, () => {});
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls).toEqual(['list']);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['list', 'list', 'watch rv=10']);
    stop.abort();
    await done;
  });

  it('relist() ends the watch and lists again', async () => {
    vi.useFakeTimers();
    const { client, calls } = scripted([
      { list: { items: [], resourceVersion: '10' } },
      { hang: true },
      { list: { items: [], resourceVersion: '20' } },
      { hang: true },
    ]);
    const lists: string[] = [];
    const watcher = new Watcher(client, ConfigMap, { timeoutSeconds: 60 });
    const stop = new AbortController();
    const done = watcher.run(stop.signal, (e) => e.type === 'list' && lists.push(e.resourceVersion));
    await vi.advanceTimersByTimeAsync(0);
    watcher.relist();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual(['list', 'watch rv=10', 'list', 'watch rv=20']);
    expect(lists).toEqual(['10', '20']);
    stop.abort();
    await done;
  });

  it('is stuck once nothing came from the apiserver for longer than stuckAfterMs', async () => {
    vi.useFakeTimers();
    const refused = new Error('connect ECONNREFUSED');
    const { client } = scripted(Array.from({ length: 50 }, (): Step => ({ fail: refused })));
    const watcher = new Watcher(client, ConfigMap, { stuckAfterMs: 10_000, backoff: { maxMs: 1000 } });
    const stop = new AbortController();
    const done = watcher.run(stop.signal, () => {});
    await vi.advanceTimersByTimeAsync(9000);
    expect(watcher.isStuck()).toBe(false);
    await vi.advanceTimersByTimeAsync(2000);
    expect(watcher.isStuck()).toBe(true);
    stop.abort();
    await done;
  });
});
