/**
 * The operator's log encodings in a real process against the shared control plane: JSON when its
 * stdout is a pipe, one colored console line per event on a terminal (a pseudo-terminal from
 * `script`), no colors under NO_COLOR, and the zap flags changing encoding and level. The operator
 * is an esbuild bundle, as generated operators ship: the console encoding needs no worker file.
 */
import { stripVTControlCharacters } from 'node:util';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMap, newClient, type DirectClient } from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { bundle, until } from './harness.js';

let script: string;
let namespace: string;
let client: DirectClient;

beforeAll(async () => {
  script = await bundle(fileURLToPath(new URL('./fixtures/log-operator.ts', import.meta.url)));
  namespace = await createTestNamespace('logs');
  client = newClient(testRestConfig());
  await client.create(ConfigMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace } });
});
afterAll(() => client?.close());

/** Runs the operator (on a pseudo-terminal when `tty`) until its output has `until`, then stops it. */
async function operatorOutput(
  args: string[],
  options: { tty: boolean; env?: Record<string, string> },
  expected: RegExp,
) {
  const command = [process.execPath, script, ...args].map((part) => `'${part}'`).join(' ');
  const child = options.tty
    ? spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: envFor(options.env) })
    : spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: envFor(options.env) });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await until(`operator output matching ${expected}`, () => expected.test(output), 60_000);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return output;
}

function envFor(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KUBEFORGE_TEST_REST_CONFIG: JSON.stringify(testRestConfig()),
    LOG_NAMESPACE: namespace,
    ...extra,
  };
  delete env.NO_COLOR;
  delete env.KUBEFORGE_LOG_FORMAT;
  delete env.KUBEFORGE_LOG_LEVEL;
  return { ...env, ...extra };
}

/** The reconcile of the test's ConfigMap (the namespace also has kube-root-ca.crt). */
const RECONCILED = /reconciled config map.*"name":"watched"|"name":"watched".*reconciled config map/;

/** The output's lines up to the first that matches `pattern` (what the operator wrote before it was stopped). */
function linesUpTo(output: string, pattern: RegExp): string[] {
  const lines = output.split(/\r?\n/);
  return lines.slice(0, lines.findIndex((line) => pattern.test(line)) + 1);
}

describe('operator log encodings', () => {
  it('writes JSON lines when stdout is not a terminal', async () => {
    const output = await operatorOutput([], { tty: false }, RECONCILED);
    const line = linesUpTo(output, RECONCILED).at(-1)!;
    expect(JSON.parse(line)).toMatchObject({
      level: 30,
      msg: 'reconciled config map',
      controller: 'configmap',
      namespace,
      name: 'watched',
      keys: 1,
    });
    expect(output).not.toContain('debug detail');
  });

  it('writes colored console lines on a terminal, one per event', async () => {
    const output = await operatorOutput([], { tty: true }, RECONCILED);
    const lines = linesUpTo(output, RECONCILED);
    const line = lines.at(-1)!;
    expect(line).toContain('\x1b[34mINFO\x1b[0m');
    const plain = stripVTControlCharacters(line);
    expect(plain).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\tINFO\treconciled config map\t\{.*"controller":"configmap"/);
    expect(plain).toContain(`"namespace":"${namespace}","name":"watched"`);
    const notEvents = lines.filter((text) => !/^\d{4}-\d\d-\d\dT/.test(stripVTControlCharacters(text)));
    expect(notEvents).toEqual([]);
  });

  it('leaves colors off on a terminal when NO_COLOR is set, and -v=1 shows debug lines', async () => {
    const output = await operatorOutput(['-v=1'], { tty: true, env: { NO_COLOR: '1' } }, /debug detail/);
    expect(output).toMatch(/\tDEBUG\tdebug detail\t/);
    expect(output).not.toContain('\x1b[');
  });

  it('--zap-encoder=console without a terminal: console lines, no colors; --zap-devel adds debug', async () => {
    const output = await operatorOutput(['--zap-encoder=console', '--zap-devel'], { tty: false }, /debug detail/);
    expect(output).toMatch(/\tINFO\treconciled config map\t\{/);
    expect(output).not.toContain('\x1b[');
    expect(output).not.toMatch(/^\{"level"/m);
  });
});
