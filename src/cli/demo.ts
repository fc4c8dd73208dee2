/**
 * `kubeforge demo`: the MicroService operator end to end on a local control plane (see
 * src/demo). Everything heavy is imported when the command runs.
 */
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { terminalIO, type CliIO } from './io.js';

interface DemoFlags {
  keep: boolean;
  useExistingCluster: boolean;
}

export function register(program: Command, io: CliIO = terminalIO()): void {
  program
    .command('demo')
    .description(
      'run the MicroService operator (examples/microservice-operator) on a local control plane: create, scale, upgrade, roll back, delete',
    )
    .option('--keep', 'leave the control plane and the operator running (until Ctrl-C) and print the KUBECONFIG', false)
    .option('--use-existing-cluster', 'run against the cluster of $KUBECONFIG instead of a local control plane', false)
    .action(async (flags: DemoFlags) => {
      const { runDemo } = await import('../demo/index.js');
      await runDemo({
        root: fileURLToPath(new URL('../../', import.meta.url)),
        keep: flags.keep,
        useExistingCluster: flags.useExistingCluster,
        print: (text) => io.print(text),
      });
    });
}
