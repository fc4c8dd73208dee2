/**
 * Child processes that never outlive their owner. Each control plane gets a run directory
 * (`$TMPDIR/kubeforge-envtest/<id>/`) holding its certificates, kubeconfig, logs and one pid file
 * per child. Three lines of defence keep processes from leaking:
 *   1. `stop()` terminates the children and removes the directories;
 *   2. on `exit`, SIGINT, SIGTERM and SIGHUP the owner kills its children synchronously;
 *   3. a tiny detached `sh` watchdog kills the children if the owner dies without running hooks
 *      (SIGKILL, crash), and `cleanStaleRuns()` removes whatever a previous crashed run left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  unlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STARTING_RUN_GRACE_MS = 60_000;

/** Where every run directory lives. */
export function runsRoot(): string {
  return join(tmpdir(), 'kubeforge-envtest');
}

/** True when a process with this pid exists (and we may signal it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Kills the children of runs whose owner process is gone and deletes their directories.
 * A pid is only killed when its command line mentions the run's directories, so a recycled pid
 * belonging to an unrelated process is left alone.
 */
export function cleanStaleRuns(): string[] {
  const root = runsRoot();
  if (!existsSync(root)) return [];
  const cleaned: string[] = [];
  for (const entry of readdirSync(root)) {
    const dir = join(root, entry);
    const owner = readPid(join(dir, 'owner.pid'));
    if (owner !== undefined && isAlive(owner)) continue;
    // A run without an owner yet may be one another process is creating right now.
    if (owner === undefined && Date.now() - statSync(dir).mtimeMs < STARTING_RUN_GRACE_MS) continue;
    const dataDir = existsSync(join(dir, 'data-dir')) ? readFileSync(join(dir, 'data-dir'), 'utf8').trim() : undefined;
    const pidsDir = join(dir, 'pids');
    for (const file of existsSync(pidsDir) ? readdirSync(pidsDir) : []) {
      const pid = readPid(join(pidsDir, file));
      const commandLine = pid === undefined ? undefined : commandLineOf(pid);
      if (
        pid !== undefined &&
        commandLine &&
        (commandLine.includes(dir) || (dataDir && commandLine.includes(dataDir)))
      ) {
        process.kill(pid, 'SIGKILL');
      }
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    cleaned.push(dir);
  }
  return cleaned;
}

const WATCHDOG_SCRIPT = [
  'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
  'for f in "$2"/pids/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done',
  'rm -rf "$2" "$3"',
].join('\n');

/** The directories of one control plane run, and the hooks that clean them up. */
export class RunDirectory {
  readonly path: string;
  /** etcd's data directory: on tmpfs (`/dev/shm`) when available. */
  readonly dataDir: string;
  private readonly children = new Set<ManagedProcess>();
  private watchdog?: ChildProcess;
  private readonly syncCleanup = () => this.killAllNow();

  private constructor(path: string, dataDir: string) {
    this.path = path;
    this.dataDir = dataDir;
  }

  static create(): RunDirectory {
    cleanStaleRuns();
    mkdirSync(runsRoot(), { recursive: true });
    const path = mkdtempSync(join(runsRoot(), 'run-'));
    writeFileSync(join(path, 'owner.pid'), String(process.pid));
    mkdirSync(join(path, 'pids'));
    const shm = '/dev/shm';
    const dataDir = existsSync(shm) ? mkdtempSync(join(shm, 'kubeforge-envtest-etcd-')) : join(path, 'etcd-data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(path, 'data-dir'), dataDir);
    const run = new RunDirectory(path, dataDir);
    run.startWatchdog();
    registerExitCleanup(run.syncCleanup);
    return run;
  }

  file(name: string): string {
    return join(this.path, name);
  }

  private startWatchdog(): void {
    if (process.platform === 'win32') return;
    this.watchdog = spawn(
      'sh',
      ['-c', WATCHDOG_SCRIPT, 'kubeforge-envtest-watchdog', String(process.pid), this.path, this.dataDir],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    this.watchdog.unref();
  }

  /** Kills the watchdog's process group (the `sh` and its `sleep`). */
  private stopWatchdog(): void {
    const pid = this.watchdog?.pid;
    if (pid === undefined || this.watchdog?.exitCode !== null) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      this.watchdog.kill('SIGKILL');
    }
  }

  /** Spawns `binary args…` with stdout and stderr appended to `<run>/<name>.log`. */
  spawn(name: string, binary: string, args: string[]): ManagedProcess {
    const child = new ManagedProcess(name, binary, args, this);
    this.children.add(child);
    return child;
  }

  forget(child: ManagedProcess): void {
    this.children.delete(child);
  }

  /** SIGKILLs every child and removes both directories, synchronously (safe in an `exit` hook). */
  killAllNow(): void {
    for (const child of this.children) child.killNow();
    this.children.clear();
    this.stopWatchdog();
    rmSync(this.dataDir, { recursive: true, force: true });
    rmSync(this.path, { recursive: true, force: true });
    unregisterExitCleanup(this.syncCleanup);
  }
}

/** One long-running binary of the control plane. */
export class ManagedProcess {
  readonly logFile: string;
  private child?: ChildProcess;
  private exit?: Promise<void>;

  constructor(
    readonly name: string,
    private readonly binary: string,
    private readonly args: string[],
    private readonly run: RunDirectory,
  ) {
    this.logFile = run.file(`${name}.log`);
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  private get pidFile(): string {
    return join(this.run.path, 'pids', `${this.name}.pid`);
  }

  start(): void {
    const log = openSync(this.logFile, 'a');
    const child = spawn(this.binary, this.args, { stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.exit = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    if (child.pid !== undefined) writeFileSync(this.pidFile, String(child.pid));
  }

  /** Resolves when the process has exited (immediately when it never started). */
  async exited(): Promise<void> {
    await this.exit;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.pid !== undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await this.exit;
      clearTimeout(timer);
    }
    this.child = undefined;
    rmSync(this.pidFile, { force: true });
  }

  killNow(): void {
    if (this.pid !== undefined) this.child?.kill('SIGKILL');
    try {
      unlinkSync(this.pidFile);
    } catch {
      // already gone
    }
  }

  /** The last `lines` lines of this process's log, for error messages. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

const exitCleanups = new Set<() => void>();
let hooksInstalled = false;

function runExitCleanups(): void {
  for (const cleanup of [...exitCleanups]) cleanup();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles this signal (e.g. `kubeforge envtest start` stops gracefully): the
  // `exit` hook still runs afterwards. Otherwise clean up and die of the signal as Node would.
  if (process.listenerCount(signal) > 1) return;
  runExitCleanups();
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

function registerExitCleanup(cleanup: () => void): void {
  exitCleanups.add(cleanup);
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', runExitCleanups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

function unregisterExitCleanup(cleanup: () => void): void {
  exitCleanups.delete(cleanup);
}
