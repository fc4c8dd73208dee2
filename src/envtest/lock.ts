/**
 * A lock file so concurrent `kubeforge envtest setup` runs (two test runs, CI and a developer)
 * do not build into the same directory at once. The file holds the owner's pid; a lock whose
 * owner is dead is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAlive } from './processes.js';

function tryAcquire(file: string): number | undefined {
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (!Number.isInteger(holder) || !isAlive(holder)) {
      rmSync(file, { force: true });
      return tryAcquire(file);
    }
    return holder;
  }
}

/** Runs `action` while holding `file`; `onWait(pid)` is called once if another process holds it. */
export async function withLockFile<T>(
  file: string,
  action: () => Promise<T>,
  onWait?: (holderPid: number) => void,
): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  let waited = false;
  for (;;) {
    const holder = tryAcquire(file);
    if (holder === undefined) break;
    if (!waited) onWait?.(holder);
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  try {
    return await action();
  } finally {
    rmSync(file, { force: true });
  }
}
