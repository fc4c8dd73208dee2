import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pollUntil } from './api-requests.js';
import { cleanStaleRuns, freePort, isAlive, runsRoot } from './processes.js';

/** A pid that is certainly not running: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('process bookkeeping', () => {
  it('kills the leftovers of a run whose owner died and removes its directories', async () => {
    mkdirSync(runsRoot(), { recursive: true });
    const run = mkdtempSync(join(runsRoot(), 'run-'));
    const data = mkdtempSync(join(run, 'data-'));
    mkdirSync(join(run, 'pids'));
    // A stand-in for etcd: its command line mentions the run directory, as etcd's and the apiserver's do.
    const leftover = spawn('sh', ['-c', 'sleep 300', join(run, 'fake-component')], { stdio: 'ignore' });
    writeFileSync(join(run, 'pids', 'fake.pid'), String(leftover.pid));
    writeFileSync(join(run, 'owner.pid'), String(await deadPid()));
    writeFileSync(join(run, 'data-dir'), data);

    expect(cleanStaleRuns()).toContain(run);
    await pollUntil(async () => !isAlive(leftover.pid!), {
      timeoutMs: 5000,
      describe: () => 'leftover process still alive',
    });
    expect(existsSync(run)).toBe(false);
  });

  it('leaves runs of a living owner and unrelated recycled pids alone', async () => {
    const alive = mkdtempSync(join(runsRoot(), 'run-'));
    writeFileSync(join(alive, 'owner.pid'), String(process.pid));
    const stale = mkdtempSync(join(runsRoot(), 'run-'));
    mkdirSync(join(stale, 'pids'));
    const unrelated = spawn('sleep', ['300'], { stdio: 'ignore' });
    writeFileSync(join(stale, 'pids', 'recycled.pid'), String(unrelated.pid));
    writeFileSync(join(stale, 'owner.pid'), String(await deadPid()));

    const cleaned = cleanStaleRuns();
    expect(cleaned).toContain(stale);
    expect(cleaned).not.toContain(alive);
    expect(existsSync(alive)).toBe(true);
    expect(isAlive(unrelated.pid!)).toBe(true);
    unrelated.kill('SIGKILL');
    writeFileSync(join(alive, 'owner.pid'), String(await deadPid()));
    cleanStaleRuns();
  });

  it('hands out distinct free loopback ports', async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });
});
