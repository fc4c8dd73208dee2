/**
 * How the fake client's server-side apply treats each list, as the apiserver reads it from the
 * schema (`x-kubernetes-list-type`): `atomic` lists are owned and replaced as a whole (the default,
 * as for a CRD list without a list type), `map` lists merge item by item on their keys, `set` lists
 * (of scalars) item by item on the value. Maps merge key by key, unless declared atomic
 * (`x-kubernetes-map-type: atomic`, such as label selectors). The fake has no schemas: the
 * well-known keyed lists and atomic maps of core kinds are built in, a CRD's are declared with
 * `newFakeClient(…, { listTypes })`.
 */
import type { ObjectKind } from '../runtime/client/index.js';

export type ListType = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] };

/**
 * A list (or an atomic map) declared for a kind: `path` names fields from the object's root, `[]`
 * stands for list items (`spec.ports`, `spec.routes[].rules`).
 */
export interface ListTypeDeclaration {
  kind: ObjectKind;
  path: string;
  listType: ListType;
}

const map = (...keys: string[]): ListType => ({ type: 'map', keys });
const SET: ListType = { type: 'set' };
const ATOMIC: ListType = { type: 'atomic' };

/** Keyed lists of a PodSpec and its containers, relative to the PodSpec. */
const POD_SPEC_LISTS: Record<string, ListType> = {
  containers: map('name'),
  initContainers: map('name'),
  ephemeralContainers: map('name'),
  volumes: map('name'),
  imagePullSecrets: map('name'),
  hostAliases: map('ip'),
  'containers[].env': map('name'),
  'containers[].ports': map('containerPort', 'protocol'),
  'containers[].volumeMounts': map('mountPath'),
  'initContainers[].env': map('name'),
  'initContainers[].ports': map('containerPort', 'protocol'),
  'initContainers[].volumeMounts': map('mountPath'),
};

/** Where a core kind keeps its PodSpec. */
/** Kinds whose `spec.selector` is an atomic LabelSelector. */
const ATOMIC_SELECTOR = ['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job'];

const POD_SPEC_PATHS: Record<string, string> = {
  '/Pod': 'spec',
  'apps/Deployment': 'spec.template.spec',
  'apps/ReplicaSet': 'spec.template.spec',
  'apps/StatefulSet': 'spec.template.spec',
  'apps/DaemonSet': 'spec.template.spec',
  'batch/Job': 'spec.template.spec',
  'batch/CronJob': 'spec.jobTemplate.spec.template.spec',
};

const EVERY_KIND: Record<string, ListType> = {
  'metadata.finalizers': SET,
  'metadata.ownerReferences': map('uid'),
};

const KIND_LISTS: Record<string, Record<string, ListType>> = {
  '/Service': { 'spec.ports': map('port', 'protocol') },
};

/**
 * The list and map types of `kind`: built-in ones, then the declared ones (which win); undefined
 * where nothing is known (lists are then atomic, maps granular).
 */
export function listTypesOf(kind: ObjectKind, declared: ListTypeDeclaration[]): (path: string) => ListType | undefined {
  const table: Record<string, ListType> = { ...EVERY_KIND, ...KIND_LISTS[`${kind.group}/${kind.kind}`] };
  if (ATOMIC_SELECTOR.includes(`${kind.group}/${kind.kind}`)) table['spec.selector'] = ATOMIC;
  const podSpec = POD_SPEC_PATHS[`${kind.group}/${kind.kind}`];
  if (podSpec) for (const [path, type] of Object.entries(POD_SPEC_LISTS)) table[`${podSpec}.${path}`] = type;
  for (const declaration of declared) {
    if (declaration.kind.group === kind.group && declaration.kind.kind === kind.kind)
      table[declaration.path] = declaration.listType;
  }
  return (path) => table[path];
}
