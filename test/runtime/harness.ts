/**
 * Helpers for the control-plane integration tests: run a manager in this process, poll until a
 * condition holds, and bundle a TypeScript entry point with esbuild so a test can run a manager
 * in a child process (to kill it, or to send it SIGTERM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { newManager, type Manager, type ManagerOptions } from '../../src/runtime/index.js';
import { testRestConfig } from '../support/cluster.js';

export interface RunningManager {
  mgr: Manager;
  /** Settles when `start` settles. */
  running: Promise<void>;
  /** Aborts the start signal and waits for `start` to settle. */
  stop(): Promise<void>;
}

/** A quiet logger; `KUBEFORGE_TEST_LOG_LEVEL=debug` shows the manager's logs. */
export function testLogger() {
  return pino({ level: process.env.KUBEFORGE_TEST_LOG_LEVEL ?? 'silent' });
}

/** Creates a manager on the shared control plane, lets `setup` add controllers, and starts it. */
export async function startManager(
  setup: (mgr: Manager) => void,
  options: Partial<ManagerOptions> = {},
): Promise<RunningManager> {
  const mgr = await newManager({
    restConfig: testRestConfig(),
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
    logger: testLogger(),
    ...options,
  });
  setup(mgr);
  const abort = new AbortController();
  const running = mgr.start(abort.signal);
  running.catch(() => {});
  return {
    mgr,
    running,
    stop: async () => {
      abort.abort();
      await running.catch(() => {});
    },
  };
}

/** Polls `check` every 25 ms until it returns true; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Bundles `entry` (TypeScript, ESM) into one .mjs file in a temp dir and returns its path. */
export async function bundle(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(mkdtempSync(join(tmpdir(), 'kubeforge-bundle-')), 'main.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

/** A child `node` process running `script`, its JSON log lines collected as they arrive. */
export interface ChildManager {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnManager(script: string, env: Record<string, string>): ChildManager {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (stderr && process.env.KUBEFORGE_TEST_LOG_LEVEL) console.error(stderr);
      resolve({ code, signal });
    }),
  );
  return { child, logs, exited };
}
