/**
 * The bundled operator as a child process, started like a real deployment's container command
 * (`--kubeconfig`, metrics and probes on loopback, leader election on), except that metrics are
 * served over plain HTTP (`--metrics-secure=false`, local development): the demo reads them as the
 * admin, who has a client certificate and no bearer token for the secure endpoint to review. Its
 * JSON log goes to a file and is kept in memory so the demo can show what it logged (and that no
 * secret leaked).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface OperatorProcess {
  pid: number;
  logFile: string;
  /** Log lines so far. */
  lines(): string[];
  /** The exit code once the process has exited, else undefined. */
  exitCode(): number | null | undefined;
  /** What the operator reports about itself: whether it leads, and its metrics endpoint's reconcile counters. */
  describe(): Promise<string[]>;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** `options.args` are passed after those flags; `options.env` is added to this process's environment. */
export function startOperatorProcess(
  bundle: string,
  kubeconfigPath: string,
  logFile: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): OperatorProcess {
  const child = spawn(
    process.execPath,
    [
      bundle,
      '--kubeconfig',
      kubeconfigPath,
      '--metrics-bind-address',
      '127.0.0.1:0',
      '--metrics-secure=false',
      '--health-probe-bind-address',
      '127.0.0.1:0',
      '--leader-elect',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      log.end();
      resolve(code);
    }),
  );
  return {
    pid: child.pid ?? -1,
    logFile,
    lines: () => lines,
    describe: () => describeOperator(lines),
    exitCode: () => (child.exitCode !== null || child.signalCode !== null ? child.exitCode : undefined),
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function logField(lines: string[], msg: string, field: string): string | undefined {
  for (const line of lines) {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === msg) return String(entry[field]);
    } catch {
      // not a JSON log line (e.g. a Node warning on stderr)
    }
  }
  return undefined;
}

async function describeOperator(lines: string[]): Promise<string[]> {
  const leader = logField(lines, 'successfully acquired lease', 'lease');
  const metricsUrl = logField(lines, 'starting manager', 'metrics');
  const report = [leader ? `leader election: holds Lease ${leader}` : 'leader election: not leading'];
  if (!metricsUrl?.startsWith('http')) return [...report, 'metrics: disabled'];
  const metrics = await fetch(`${metricsUrl.replace(/\/metrics$/, '')}/metrics`).then((response) => response.text());
  const reconciles = metrics.split('\n').filter((line) => line.startsWith('controller_runtime_reconcile_total{'));
  return [...report, `metrics: ${metricsUrl}`, ...reconciles.map((line) => `  ${line}`)];
}
