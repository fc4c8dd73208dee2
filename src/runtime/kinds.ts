/**
 * Kinds: the run-time description of a resource type (group, version, kind, plural, scope)
 * that also carries its TypeScript object type, plus the built-in kinds typed with
 * @kubernetes/client-node models (types only: nothing from client-node is loaded at run time).
 */
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1ConfigMap,
  V1CronJob,
  V1CustomResourceDefinition,
  V1DaemonSet,
  V1Deployment,
  V1Ingress,
  V1Job,
  V1Lease,
  V1MutatingWebhookConfiguration,
  V1Namespace,
  V1Pod,
  V1ReplicaSet,
  V1Role,
  V1RoleBinding,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
  V1ValidatingWebhookConfiguration,
  CoreV1Event,
  EventsV1Event,
} from '@kubernetes/client-node';
import type { KubeObject, ObjectKind } from './types.js';

export interface KindDefinition {
  /** API group; '' (or omitted) for the core group. */
  group?: string;
  version: string;
  kind: string;
  /** Lower-case plural resource name ('guestbooks'). */
  plural: string;
  namespaced: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Describes a resource type; the type parameter is the object type the client returns for it. */
export function defineKind<T extends KubeObject>(definition: KindDefinition): ObjectKind<T> {
  const group = definition.group ?? '';
  const { version, kind, plural, namespaced } = definition;
  if (group !== '' && !DNS_SUBDOMAIN.test(group)) {
    throw new Error(`defineKind: group "${group}" must be a lower-case DNS subdomain (e.g. webapp.example.com)`);
  }
  if (!DNS_LABEL.test(version)) throw new Error(`defineKind: version "${version}" must be a DNS label (e.g. v1)`);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) throw new Error(`defineKind: kind "${kind}" must be UpperCamelCase`);
  if (!DNS_LABEL.test(plural))
    throw new Error(`defineKind: plural "${plural}" of ${kind} must be a lower-case DNS label`);
  return Object.freeze({
    group,
    version,
    apiVersion: group === '' ? version : `${group}/${version}`,
    kind,
    plural,
    namespaced,
  });
}

/** 'apps/v1' → { group: 'apps', version: 'v1' }; 'v1' → { group: '', version: 'v1' }. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** 'Deployment.apps/v1': how errors and logs name a kind. */
export function kindName(kind: ObjectKind): string {
  return kind.group === '' ? `${kind.kind}/${kind.version}` : `${kind.kind}.${kind.group}/${kind.version}`;
}

export const Namespace = defineKind<V1Namespace>({
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
});
export const Pod = defineKind<V1Pod>({ version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true });
export const Service = defineKind<V1Service>({ version: 'v1', kind: 'Service', plural: 'services', namespaced: true });
export const ConfigMap = defineKind<V1ConfigMap>({
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
});
export const Secret = defineKind<V1Secret>({ version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true });
export const ServiceAccount = defineKind<V1ServiceAccount>({
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  namespaced: true,
});
/** core/v1 Event (what `kubectl get events` shows by default). */
export const Event = defineKind<CoreV1Event>({ version: 'v1', kind: 'Event', plural: 'events', namespaced: true });
/** events.k8s.io/v1 Event (what event recorders write). */
export const EventV1 = defineKind<EventsV1Event>({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
});
export const Deployment = defineKind<V1Deployment>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
});
export const ReplicaSet = defineKind<V1ReplicaSet>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  namespaced: true,
});
export const StatefulSet = defineKind<V1StatefulSet>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  namespaced: true,
});
export const DaemonSet = defineKind<V1DaemonSet>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  namespaced: true,
});
export const Job = defineKind<V1Job>({ group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true });
export const CronJob = defineKind<V1CronJob>({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  namespaced: true,
});
export const Ingress = defineKind<V1Ingress>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  namespaced: true,
});
export const Lease = defineKind<V1Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
});
export const CustomResourceDefinition = defineKind<V1CustomResourceDefinition>({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
});
export const Role = defineKind<V1Role>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  namespaced: true,
});
export const ClusterRole = defineKind<V1ClusterRole>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  namespaced: false,
});
export const RoleBinding = defineKind<V1RoleBinding>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
});
export const ClusterRoleBinding = defineKind<V1ClusterRoleBinding>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  namespaced: false,
});
export const MutatingWebhookConfiguration = defineKind<V1MutatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind: 'MutatingWebhookConfiguration',
  plural: 'mutatingwebhookconfigurations',
  namespaced: false,
});
export const ValidatingWebhookConfiguration = defineKind<V1ValidatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind: 'ValidatingWebhookConfiguration',
  plural: 'validatingwebhookconfigurations',
  namespaced: false,
});
