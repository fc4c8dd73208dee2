/**
 * `kubeforge envtest setup|start|use`: make the control-plane binaries available (download or
 * build from Go modules), run a local control plane until Ctrl-C, or print where the binaries are.
 */
import type { Command } from 'commander';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';

interface AssetFlags {
  k8sVersion?: string;
  withControllerManager?: boolean;
}

function requirementsOf(flags: AssetFlags) {
  if (flags.k8sVersion !== undefined && !/^v?\d+\.\d+\.\d+$/.test(flags.k8sVersion)) {
    throw new UserError(`--k8s-version "${flags.k8sVersion}" must look like 1.37.2`);
  }
  return { k8sVersion: flags.k8sVersion, controllerManager: flags.withControllerManager === true };
}

const progressToStderr = (line: string) => process.stderr.write(`${line}\n`);

async function setup(flags: AssetFlags): Promise<void> {
  const { ensureAssets } = await import('../envtest/index.js');
  const dir = await ensureAssets({ ...requirementsOf(flags), onProgress: progressToStderr });
  process.stdout.write(`envtest binaries ready in ${dir}\n`);
}

async function use(flags: AssetFlags): Promise<void> {
  const { findAssets } = await import('../envtest/index.js');
  const dir = findAssets(requirementsOf(flags));
  if (!dir) throw new UserError('no envtest binaries found', { hint: 'run `kubeforge envtest setup` first' });
  process.stdout.write(`${dir}\n`);
}

async function start(flags: AssetFlags & { crds?: string[]; kubeconfig?: string }): Promise<void> {
  const { ensureAssets, startControlPlane } = await import('../envtest/index.js');
  const assetsDir = await ensureAssets({ ...requirementsOf(flags), onProgress: progressToStderr });
  const started = Date.now();
  const controlPlane = await startControlPlane({
    assetsDir,
    controllerManager: flags.withControllerManager === true,
    crdDirectoryPaths: flags.crds?.map((path) => resolve(path)),
  });
  let kubeconfigPath = controlPlane.kubeconfigPath;
  if (flags.kubeconfig) {
    kubeconfigPath = resolve(flags.kubeconfig);
    copyFileSync(controlPlane.kubeconfigPath, kubeconfigPath);
  }
  process.stdout.write(
    [
      `control plane ready in ${((Date.now() - started) / 1000).toFixed(1)}s at ${controlPlane.restConfig.server}` +
        (flags.withControllerManager ? ' (with kube-controller-manager)' : ''),
      `logs: ${controlPlane.runDir}`,
      'use it with:',
      `  export KUBECONFIG=${kubeconfigPath}`,
      'press Ctrl-C to stop',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('stopping the control plane…\n');
  await controlPlane.stop();
  process.stdout.write('stopped\n');
}

export function register(program: Command): void {
  const envtest = program
    .command('envtest')
    .description('a real etcd + kube-apiserver for tests (like kubebuilder envtest)');
  const assetOptions = (command: Command) =>
    command
      .option(
        '--k8s-version <version>',
        'Kubernetes version of the binaries (default: newest available of 1.37.2, 1.36.3, 1.35.4)',
      )
      .option(
        '--with-controller-manager',
        'include kube-controller-manager (garbage collection, Deployment → ReplicaSet)',
      );
  assetOptions(
    envtest
      .command('setup')
      .description('make etcd and kube-apiserver available: existing → download → build from Go modules'),
  ).action((flags: AssetFlags) => setup(flags));
  assetOptions(envtest.command('use').description('print the directory holding the envtest binaries')).action(
    (flags: AssetFlags) => use(flags),
  );
  assetOptions(
    envtest
      .command('start')
      .description('start a control plane on loopback and keep it running until Ctrl-C')
      .option('--crds <paths...>', 'CRD manifest files or directories to install')
      .option('--kubeconfig <file>', 'also write the kubeconfig to this file'),
  ).action((flags: AssetFlags & { crds?: string[]; kubeconfig?: string }) => start(flags));
}
