// The TypeScript peers of the reconcile benchmark, ready to run: the @kubernetes/client-node
// operator uses this checkout's node_modules; the kubernetes-fluent-client one gets its own
// dependencies (./package.json, ./package-lock.json), installed once with `npm ci` into
// `<bench cache>/peers-<hash of the lock>` and linked into the run's work directory beside a copy
// of its script.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = new URL('.', import.meta.url).pathname;
const benchCache = process.env.KUBEFORGE_BENCH_DIR ?? join(homedir(), '.cache', 'kubeforge', 'bench');

/**
 * `[client-node, fluent-client]` as `{ name, command, args, env }`, or `{ name, unavailable }` with
 * the reason when one cannot be prepared. `log(line)` gets progress lines.
 */
export async function preparePeerOperators({ workDir, log }) {
  return [
    await prepare('client-node', () => clientNodeOperator()),
    await prepare('fluent-client', () => fluentClientOperator(workDir, log)),
  ];
}

async function prepare(name, build) {
  try {
    return { name, ...(await build()) };
  } catch (error) {
    return { name, unavailable: error.stderr?.trim() || error.message };
  }
}

async function clientNodeOperator() {
  const script = join(here, 'client-node-widget.js');
  await run(process.execPath, ['--input-type=module', '-e', "await import('@kubernetes/client-node')"], { cwd: here });
  return { command: process.execPath, args: [script], env: {} };
}

async function fluentClientOperator(workDir, log) {
  const lock = readFileSync(join(here, 'package-lock.json'));
  const installDir = join(benchCache, `peers-${createHash('sha256').update(lock).digest('hex').slice(0, 12)}`);
  const installed = join(installDir, '.installed');
  if (!existsSync(installed)) {
    log(`fluent-client peer: npm ci into ${installDir} …`);
    const startedAt = performance.now();
    rmSync(installDir, { recursive: true, force: true });
    mkdirSync(installDir, { recursive: true });
    copyFileSync(join(here, 'package.json'), join(installDir, 'package.json'));
    writeFileSync(join(installDir, 'package-lock.json'), lock);
    await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: installDir });
    writeFileSync(installed, '');
    log(`fluent-client peer: installed in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  }
  const dir = join(workDir, 'fluent-client');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', 'fluent-client-widget.js', 'widget.js', 'work-queue.js'])
    copyFileSync(join(here, file), join(dir, file));
  symlinkSync(join(installDir, 'node_modules'), join(dir, 'node_modules'));
  // Loading the library is where an unsupported Node version fails.
  await run(process.execPath, ['--input-type=module', '-e', "await import('kubernetes-fluent-client')"], { cwd: dir });
  const { version, engines } = JSON.parse(
    readFileSync(join(installDir, 'node_modules', 'kubernetes-fluent-client', 'package.json'), 'utf8'),
  );
  log(
    `fluent-client peer: kubernetes-fluent-client ${version} (engines node ${engines?.node}) on node ${process.version}`,
  );
  return { command: process.execPath, args: [join(dir, 'fluent-client-widget.js')], env: {} };
}
