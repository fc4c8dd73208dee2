/**
 * `kubeforge doctor [--kubeconfig F] [--context C]`: one line per thing kubeforge depends on,
 * ✓ or ✗ with what was found, and a fix under each ✗. Exits 1 only when a required check (Node,
 * npm) fails; Go, kubectl, the caches and the cluster are reported but optional.
 */
import type { Command } from 'commander';
import { createRequire } from 'node:module';
import { UserError } from '../errors.js';
import type { CheckResult } from './doctor-checks.js';
import type { CliIO } from './io.js';

interface DoctorFlags {
  kubeconfig?: string;
  context?: string;
}

const { engines } = createRequire(import.meta.url)('../../package.json') as { engines: { node: string } };

export function register(program: Command, io: CliIO): void {
  program
    .command('doctor')
    .description('check Node, npm, Go, kubectl, the envtest/helm/controller-gen caches and the current cluster')
    .option('--kubeconfig <path>', 'kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .action((flags: DoctorFlags) => doctor(flags, io));
}

async function cacheChecks(): Promise<CheckResult[]> {
  const envtest = await import('../envtest/index.js');
  const assets = envtest.findAssets();
  const results: CheckResult[] = [
    {
      name: 'envtest',
      required: false,
      ok: assets !== undefined,
      detail: assets
        ? `etcd and kube-apiserver in ${assets}`
        : `no binaries (looked in ${envtest.installDirFor(envtest.DEFAULT_KUBERNETES_VERSION)})`,
      fix: assets ? undefined : 'run `kubeforge envtest setup` (tests start a control plane from these)',
    },
  ];
  for (const spec of [envtest.HELM_TOOL, envtest.CONTROLLER_GEN_TOOL]) {
    let found: { path: string; version: string } | undefined;
    let problem: string | undefined;
    try {
      found = envtest.findGoTool(spec);
    } catch (error) {
      problem = (error as Error).message;
    }
    results.push({
      name: spec.name,
      required: false,
      ok: found !== undefined,
      detail: found
        ? `${found.version.split('\n')[0]} at ${found.path}`
        : (problem ?? `not in ${envtest.goToolsDir()} or on PATH`),
      fix: found ? undefined : envtest.goToolRemedy(spec),
    });
  }
  return results;
}

async function clusterCheck(flags: DoctorFlags): Promise<CheckResult> {
  const { kubeconfigContext } = await import('./kubeconfig-context.js');
  const runtime = await import('../runtime/index.js');
  const { files, context } = kubeconfigContext(flags.kubeconfig, flags.context);
  const name = `context ${context ?? '(none)'}`;
  const fix =
    'start a local cluster: `kubeforge envtest start --with-controller-manager --kubeconfig ./envtest.kubeconfig`, ' +
    'then `export KUBECONFIG=$PWD/envtest.kubeconfig`';
  let server = '';
  try {
    const restConfig = runtime.loadRestConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    server = restConfig.server;
    const client = runtime.newClient(restConfig, { requestTimeoutMs: 5000, maxRetries: 0 });
    try {
      const version = await client.transport.request<{ gitVersion: string }>({
        method: 'GET',
        path: '/version',
        description: `GET ${server}/version`,
      });
      return { name, required: false, ok: true, detail: `${server} answers: Kubernetes ${version.gitVersion}` };
    } finally {
      client.close();
    }
  } catch (error) {
    const where = server ? `${server} unreachable` : `no usable kubeconfig (${files.join(', ')})`;
    return { name, required: false, ok: false, detail: `${where}: ${(error as Error).message}`, fix };
  }
}

async function doctor(flags: DoctorFlags, io: CliIO): Promise<void> {
  const checks = await import('./doctor-checks.js');
  const { goVersion } = await import('../envtest/index.js');
  const results = [
    checks.checkNode(engines.node),
    checks.checkNpm(),
    checks.checkGo(goVersion()),
    checks.checkKubectl(),
    ...(await cacheChecks()),
    await clusterCheck(flags),
  ];
  const width = Math.max(...results.map((result) => result.name.length));
  for (const result of results) {
    const optional = !result.ok && !result.required ? ' (optional)' : '';
    io.print(`${result.ok ? '✓' : '✗'} ${result.name.padEnd(width)}  ${result.detail}${optional}`);
    if (result.fix) io.print(`  ${' '.repeat(width)}  fix: ${result.fix}`);
  }
  const failed = results.filter((result) => result.required && !result.ok).map((result) => result.name);
  if (failed.length > 0) throw new UserError(`required: ${failed.join(', ')} — see the fixes above`);
}
