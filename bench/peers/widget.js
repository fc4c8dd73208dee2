// The Widget logic both TypeScript peers share, as bench/go-twin/main.go has it: the ConfigMap to
// server-side apply for a Widget, the status to write when it is not yet current, and which Widget
// a ConfigMap belongs to.

export const GROUP = 'bench.example.com';
export const VERSION = 'v1';
const API_VERSION = `${GROUP}/${VERSION}`;

/** The ConfigMap a Widget owns: its name, data = { size, ...spec.data }, controller reference. */
export function desiredConfigMap(widget) {
  const { name, namespace, uid } = widget.metadata;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace,
      ownerReferences: [
        { apiVersion: API_VERSION, kind: 'Widget', name, uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    data: { size: String(widget.spec?.size ?? 0), ...widget.spec?.data },
  };
}

/**
 * The status to write (observedGeneration and a Ready condition, as meta.SetStatusCondition sets
 * it), or undefined when the Widget's status is already current.
 */
export function readyStatus(widget) {
  const generation = widget.metadata.generation;
  const status = widget.status ?? {};
  const ready = status.conditions?.find((condition) => condition.type === 'Ready');
  if (status.observedGeneration === generation && ready?.status === 'True') return undefined;
  const conditions = (status.conditions ?? []).filter((condition) => condition.type !== 'Ready');
  conditions.push({
    type: 'Ready',
    status: 'True',
    reason: 'ConfigMapApplied',
    message: 'the ConfigMap is applied',
    observedGeneration: generation,
    lastTransitionTime: ready?.status === 'True' ? ready.lastTransitionTime : new Date().toISOString(),
  });
  return { ...status, observedGeneration: generation, conditions };
}

/** `namespace/name` of the Widget that controls `configMap`, or undefined. */
export function ownerWidgetKey(configMap) {
  const owner = configMap.metadata?.ownerReferences?.find(
    (reference) => reference.controller && reference.kind === 'Widget' && reference.apiVersion === API_VERSION,
  );
  return owner ? `${configMap.metadata.namespace}/${owner.name}` : undefined;
}
