/**
 * Examples shown at the end of each command's `--help`, in one place. Keys are command paths as
 * typed after `kubeforge` ('' is `kubeforge --help` itself); `addHelpExamples` attaches them to the
 * program, and a test checks that every registered command has one and that each parses with
 * commander.
 */
import type { Command } from 'commander';

export const HELP_EXAMPLES: Record<string, string[]> = {
  '': [
    'kubeforge init --domain example.com',
    'kubeforge create api --group webapp --version v1 --kind Guestbook',
    'kubeforge run',
    'kubeforge doctor',
  ],
  init: [
    'kubeforge init --domain example.com',
    'kubeforge init --domain example.com --project-name guestbook-operator --owner "Jane Doe" --license apache2',
    'kubeforge init --domain example.com --namespaced --dry-run',
  ],
  create: ['kubeforge create api --group webapp --version v1 --kind Guestbook'],
  'create api': [
    'kubeforge create api --group webapp --version v1 --kind Guestbook',
    'kubeforge create api --group apps --version v1 --kind Deployment --resource=false --controller',
    'kubeforge create api --group cert-manager --version v1 --kind Certificate --resource=false --external-api-path src/imports/cert-manager.io/v1.ts --external-api-domain io',
    'kubeforge create api --group example --version v1alpha1 --kind Memcached --plugins deploy-image --image memcached:1.6 --image-container-port 11211 --run-as-user 1001',
    'kubeforge create api --group example --version v1alpha1 --kind Memcached --plugins deploy-image --image memcached:1.6 --image-container-command memcached,--memory-limit=64,-o,modern,-v',
  ],
  'create webhook': [
    'kubeforge create webhook --group webapp --version v1 --kind Guestbook --defaulting --programmatic-validation',
    'kubeforge create webhook --group webapp --version v1 --kind Guestbook --conversion --spoke v2',
  ],
  envtest: ['kubeforge envtest start --with-controller-manager'],
  'envtest setup': [
    'kubeforge envtest setup',
    'kubeforge envtest setup --k8s-version 1.36.3 --with-controller-manager',
  ],
  'envtest use': ['kubeforge envtest use', 'export KUBEBUILDER_ASSETS=$(kubeforge envtest use)'],
  'envtest start': [
    'kubeforge envtest start --with-controller-manager --kubeconfig ./envtest.kubeconfig',
    'kubeforge envtest start --crds config/crd/bases',
  ],
  manifests: [
    'kubeforge manifests',
    'kubeforge manifests --dry-run',
    'kubeforge manifests --check --envtest',
    'kubeforge manifests --kubernetes-version 1.35 --max-desc-len 0',
  ],
  edit: ['kubeforge edit --multigroup', 'kubeforge edit --plugins helm', 'kubeforge edit --plugins grafana'],
  run: ['kubeforge run', 'kubeforge run --webhooks', 'kubeforge run --context kind-dev -- node dist/operator.js'],
  import: [
    'kubeforge import cert-manager.crds.yaml',
    'kubeforge import schemas/widget.schema.json --out src/external --dry-run',
  ],
  tree: [
    'kubeforge tree microservice/shop -n default',
    'kubeforge tree deployments.apps/web -n prod --context prod-cluster',
  ],
  completion: [
    'source <(kubeforge completion bash)',
    'kubeforge completion zsh > "${fpath[1]}/_kubeforge"',
    'kubeforge completion fish > ~/.config/fish/completions/kubeforge.fish',
  ],
  doctor: ['kubeforge doctor', 'kubeforge doctor --kubeconfig ./envtest.kubeconfig'],
  alpha: ['kubeforge alpha generate --output-dir ../regenerated'],
  'alpha generate': [
    'kubeforge alpha generate',
    'kubeforge alpha generate --input-dir ./guestbook --output-dir ./guestbook-regenerated',
  ],
  upgrade: [
    'kubeforge upgrade --dry-run',
    'kubeforge upgrade',
    'kubeforge upgrade --from 0.1.0 --allow-conflicts',
    'kubeforge upgrade --from-templates ../kubeforge-0.1.0/templates',
  ],
};

/** The path of `command` under the program: 'create api'. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Every command below `program`, depth first. */
export function allCommands(program: Command): Command[] {
  return program.commands.flatMap((command) => [command, ...allCommands(command)]);
}

/** Adds an "Examples:" section to the `--help` of every command that has examples. */
export function addHelpExamples(program: Command): void {
  for (const command of [program, ...allCommands(program)]) {
    const examples = HELP_EXAMPLES[commandPath(command)];
    if (examples) command.addHelpText('after', `\nExamples:\n${examples.map((line) => `  $ ${line}`).join('\n')}`);
  }
}
