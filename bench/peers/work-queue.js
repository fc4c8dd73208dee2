// The work queue both TypeScript peers use, as hand-written TS operators keep one: keys are
// de-duplicated (a key queued twice before a worker takes it is reconciled once) and a key is never
// held by two workers at once (one queued while it is being reconciled waits until that finishes),
// like client-go's workqueue. `workers` loops take keys; a failed reconcile is retried after a
// per-key exponential delay (5 ms doubling, at most 30 s), reset on success.

/** Runs `reconcile(key)` for every key added, `workers` at a time. Returns `{ add }`. */
export function startWorkQueue({ workers, reconcile, onError }) {
  const queue = [];
  let head = 0;
  const dirty = new Set();
  const processing = new Set();
  const failures = new Map();
  let wake = [];

  const add = (key) => {
    if (dirty.has(key)) return;
    dirty.add(key);
    if (processing.has(key)) return;
    queue.push(key);
    wake.shift()?.();
  };
  const take = async () => {
    while (head === queue.length) await new Promise((resolve) => wake.push(resolve));
    const key = queue[head++];
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    dirty.delete(key);
    processing.add(key);
    return key;
  };
  const done = (key) => {
    processing.delete(key);
    if (dirty.has(key)) {
      queue.push(key);
      wake.shift()?.();
    }
  };
  const worker = async () => {
    for (;;) {
      const key = await take();
      try {
        await reconcile(key);
        failures.delete(key);
      } catch (error) {
        const count = (failures.get(key) ?? 0) + 1;
        failures.set(key, count);
        onError(key, error);
        setTimeout(() => add(key), Math.min(5 * 2 ** (count - 1), 30_000));
      } finally {
        done(key);
      }
    }
  };
  for (let i = 0; i < workers; i++) void worker();
  return { add };
}
