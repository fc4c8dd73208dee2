import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../src/envtest/api-requests.js';
import { isAlive } from '../../src/envtest/processes.js';

interface OwnerReport {
  pids: { etcd: number; apiServer: number };
  runDir: string;
  dataDir: string;
}

const bundle = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'kubeforge-tests', 'owner-process.mjs');

/** Starts a separate Node process that owns a control plane; resolves once it is up. */
async function startOwner(): Promise<{ pid: number; report: OwnerReport }> {
  const child = spawn(process.execPath, [bundle], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`owner process exited (${code}) before its control plane was up`)));
  });
  return { pid: child.pid!, report: JSON.parse(line) as OwnerReport };
}

async function expectNothingLeft(report: OwnerReport): Promise<void> {
  const children = [report.pids.etcd, report.pids.apiServer];
  await pollUntil(
    async () => children.every((pid) => !isAlive(pid)) && !existsSync(report.runDir) && !existsSync(report.dataDir),
    {
      timeoutMs: 15_000,
      describe: () => `control plane of a dead owner still around (alive: ${children.filter(isAlive)})`,
    },
  );
  expect(children.filter(isAlive)).toEqual([]);
  expect(existsSync(report.runDir)).toBe(false);
  expect(existsSync(report.dataDir)).toBe(false);
}

describe('processes never outlive their owner', () => {
  beforeAll(async () => {
    mkdirSync(join(bundle, '..'), { recursive: true });
    await build({
      entryPoints: [join(import.meta.dirname, 'fixtures', 'owner-process.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: bundle,
      logLevel: 'warning',
    });
  });

  it('kills etcd and the apiserver when the owner gets SIGTERM', async () => {
    const owner = await startOwner();
    process.kill(owner.pid, 'SIGTERM');
    await expectNothingLeft(owner.report);
  });

  it('kills etcd and the apiserver through the watchdog when the owner is SIGKILLed', async () => {
    const owner = await startOwner();
    process.kill(owner.pid, 'SIGKILL');
    await expectNothingLeft(owner.report);
  });
});
