/**
 * `kubeforge tree <type>/<name> [-n ns] [--kubeconfig F] [--context C]`: what an object owns, as
 * kubectl-tree prints it — the object, then everything whose ownerReferences name it, recursively,
 * with READY, STATUS and AGE. Discovery finds every listable resource; each is listed
 * metadata-only in the object's namespace (see `owner-tree.ts`).
 */
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { CliIO } from './io.js';

interface TreeFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function register(program: Command, io: CliIO): void {
  program
    .command('tree')
    .description('print an object and everything it owns (by ownerReferences), recursively, like kubectl-tree')
    .argument('<type/name>', 'the owner: kind, plural or short name, optionally with its group, then /name')
    .option('-n, --namespace <namespace>', "namespace of the object (default: the context's, else default)")
    .option('--kubeconfig <path>', 'kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .action((target: string, flags: TreeFlags) => printTree(target, flags, io));
}

async function printTree(target: string, flags: TreeFlags, io: CliIO): Promise<void> {
  const slash = target.indexOf('/');
  const type = target.slice(0, slash);
  const name = target.slice(slash + 1);
  if (slash <= 0 || !name || name.includes('/'))
    throw new UserError(`"${target}" is not <type>/<name>`, { hint: 'e.g. kubeforge tree deployment/web -n shop' });
  if (flags.namespace !== undefined && !NAMESPACE_NAME.test(flags.namespace))
    throw new UserError(`--namespace "${flags.namespace}" is not a valid namespace name`);
  const runtime = await import('../runtime/index.js');
  const { buildOwnerTree, discoverResources, kindOf, resolveResource } = await import('./owner-tree.js');
  const { formatOwnerTree } = await import('./tree-format.js');
  const { kubeconfigContext } = await import('./kubeconfig-context.js');
  let restConfig;
  try {
    restConfig = runtime.loadRestConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  } catch (error) {
    throw new UserError((error as Error).message, { hint: 'pass --kubeconfig or set KUBECONFIG' });
  }
  // Listing every resource draws deprecation warnings (v1 Endpoints, …) about kinds the user never named: not shown.
  const client = runtime.newClient(restConfig, { logger: runtime.newLogger({ level: 'silent' }) });
  try {
    const discovery = await discoverResources(client).catch((error: Error) => {
      throw new UserError(`cannot discover the API of ${restConfig.server}: ${error.message}`, {
        hint: '`kubeforge doctor` checks the kubeconfig context (pass --kubeconfig or --context for another)',
        cause: error,
      });
    });
    for (const { groupVersion, error } of discovery.failed)
      io.printError(`warning: could not discover ${groupVersion}: ${error}`);
    const resource = resolveResource(discovery.resources, type);
    const contextNamespace = () => kubeconfigContext(flags.kubeconfig, flags.context).namespace ?? 'default';
    const namespace = resource.namespaced ? (flags.namespace ?? contextNamespace()) : undefined;
    const root = await client.get(kindOf(resource), { namespace, name });
    const what = `${resource.kind}/${name}`;
    if (!root) throw new UserError(`${what} not found${namespace ? ` in namespace ${namespace}` : ''}`);
    const tree = await buildOwnerTree(client, discovery.resources, root);
    if (tree.skipped.length > 0)
      io.printError(`warning: not allowed to list ${tree.skipped.join(', ')}; objects of those may be missing`);
    io.print(formatOwnerTree(tree.root, new Date()));
  } finally {
    client.close();
  }
}
