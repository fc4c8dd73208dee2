/**
 * The built-in kinds kubeforge/runtime exports (src/runtime/kinds.ts), as a scaffold needs them: the
 * exported constant to import, the @kubernetes/client-node type of its objects, and its resource
 * names. `create api --resource=false` and `create webhook` for a Kubernetes core group use these
 * instead of scaffolding types; test/cli/builtin-kinds.test.ts checks this table against the runtime.
 */
export interface BuiltinKind {
  /** The constant kubeforge/runtime exports (`Deployment`, `EventV1`). */
  exportName: string;
  /** The object type from @kubernetes/client-node (`V1Deployment`). */
  typeName: string;
  /** API group: `''` for core, `apps`, `networking.k8s.io`, … */
  apiGroup: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Fields besides metadata that make a valid object, for scaffolded tests that create one. */
  sample?: Record<string, unknown>;
}

const CONTAINERS = { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] };
const LABELS = { app: 'sample' };

/** Valid objects (without metadata) of the kinds scaffolded tests most often create. */
const SAMPLES: Record<string, Record<string, unknown>> = {
  Pod: { spec: CONTAINERS },
  ConfigMap: { data: { key: 'value' } },
  Secret: { stringData: { key: 'value' } },
  ServiceAccount: {},
  Service: { spec: { selector: LABELS, ports: [{ port: 80 }] } },
  Deployment: {
    spec: { selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: CONTAINERS } },
  },
  Job: { spec: { template: { spec: { ...CONTAINERS, restartPolicy: 'Never' } } } },
};

const kind = (
  exportName: string,
  typeName: string,
  apiGroup: string,
  plural: string,
  namespaced: boolean,
  name = exportName,
): BuiltinKind => ({
  exportName,
  typeName,
  apiGroup,
  version: 'v1',
  kind: name,
  plural,
  namespaced,
  ...sampleOf(exportName),
});

function sampleOf(exportName: string): { sample?: Record<string, unknown> } {
  return Object.hasOwn(SAMPLES, exportName) ? { sample: SAMPLES[exportName] } : {};
}

const RBAC = 'rbac.authorization.k8s.io';
const ADMISSION = 'admissionregistration.k8s.io';

export const BUILTIN_KINDS: readonly BuiltinKind[] = [
  kind('Namespace', 'V1Namespace', '', 'namespaces', false),
  kind('Pod', 'V1Pod', '', 'pods', true),
  kind('Service', 'V1Service', '', 'services', true),
  kind('ConfigMap', 'V1ConfigMap', '', 'configmaps', true),
  kind('Secret', 'V1Secret', '', 'secrets', true),
  kind('ServiceAccount', 'V1ServiceAccount', '', 'serviceaccounts', true),
  kind('Event', 'CoreV1Event', '', 'events', true),
  kind('EventV1', 'EventsV1Event', 'events.k8s.io', 'events', true, 'Event'),
  kind('Deployment', 'V1Deployment', 'apps', 'deployments', true),
  kind('ReplicaSet', 'V1ReplicaSet', 'apps', 'replicasets', true),
  kind('StatefulSet', 'V1StatefulSet', 'apps', 'statefulsets', true),
  kind('DaemonSet', 'V1DaemonSet', 'apps', 'daemonsets', true),
  kind('Job', 'V1Job', 'batch', 'jobs', true),
  kind('CronJob', 'V1CronJob', 'batch', 'cronjobs', true),
  kind('Ingress', 'V1Ingress', 'networking.k8s.io', 'ingresses', true),
  kind('Lease', 'V1Lease', 'coordination.k8s.io', 'leases', true),
  kind(
    'CustomResourceDefinition',
    'V1CustomResourceDefinition',
    'apiextensions.k8s.io',
    'customresourcedefinitions',
    false,
  ),
  kind('Role', 'V1Role', RBAC, 'roles', true),
  kind('ClusterRole', 'V1ClusterRole', RBAC, 'clusterroles', false),
  kind('RoleBinding', 'V1RoleBinding', RBAC, 'rolebindings', true),
  kind('ClusterRoleBinding', 'V1ClusterRoleBinding', RBAC, 'clusterrolebindings', false),
  kind(
    'MutatingWebhookConfiguration',
    'V1MutatingWebhookConfiguration',
    ADMISSION,
    'mutatingwebhookconfigurations',
    false,
  ),
  kind(
    'ValidatingWebhookConfiguration',
    'V1ValidatingWebhookConfiguration',
    ADMISSION,
    'validatingwebhookconfigurations',
    false,
  ),
];

/** The built-in kind of an API group, version and kind, if kubeforge/runtime has it. */
export function findBuiltinKind(apiGroup: string, version: string, kindName: string): BuiltinKind | undefined {
  return BUILTIN_KINDS.find(
    (builtin) => builtin.apiGroup === apiGroup && builtin.version === version && builtin.kind === kindName,
  );
}

/** `Deployment (apps/v1), Pod (v1), …`: for messages listing what is available. */
export function describeBuiltinKinds(): string {
  return BUILTIN_KINDS.map(
    (builtin) => `${builtin.kind} (${builtin.apiGroup ? `${builtin.apiGroup}/` : ''}${builtin.version})`,
  ).join(', ');
}
