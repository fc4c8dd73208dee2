// The Widget operator written the way Pepr users write one with kubernetes-fluent-client:
// `K8s(Widget).Watch` and `K8s(kind.ConfigMap).Watch` feed a small work queue, the ConfigMap is
// server-side applied with `K8s(kind.ConfigMap).Apply(…, { force: true })` and the status written
// with `K8s(Widget).PatchStatus`. Same logic as bench/go-twin/main.go, except the field manager:
// the library always applies as "pepr". bench/peers/index.js copies this file next to the
// installed dependencies and runs it with KUBECONFIG and WIDGET_WORKERS in the environment.
import { GenericKind, K8s, RegisterKind, kind } from 'kubernetes-fluent-client';
import { startWorkQueue } from './work-queue.js';

const GROUP = 'bench.example.com';
const VERSION = 'v1';

class Widget extends GenericKind {}
RegisterKind(Widget, { group: GROUP, version: VERSION, kind: 'Widget', plural: 'widgets' });

/** The latest Widget seen on the watch, by `namespace/name`. */
const latest = new Map();
const keyOf = (object) => `${object.metadata.namespace}/${object.metadata.name}`;

const queue = startWorkQueue({
  workers: Math.max(1, Number(process.env.WIDGET_WORKERS) || 1),
  reconcile,
  onError: (key, error) =>
    console.error(`reconcile ${key}: ${error.status ?? ''} ${error.message ?? error.statusText ?? error}`),
});

async function reconcile(key) {
  const widget = latest.get(key);
  if (!widget) return;
  const { name, namespace, uid, generation } = widget.metadata;
  await K8s(kind.ConfigMap).Apply(
    {
      metadata: {
        name,
        namespace,
        ownerReferences: [
          { apiVersion: `${GROUP}/${VERSION}`, kind: 'Widget', name, uid, controller: true, blockOwnerDeletion: true },
        ],
      },
      data: { size: String(widget.spec?.size ?? 0), ...widget.spec?.data },
    },
    { force: true },
  );
  const status = widget.status ?? {};
  const ready = status.conditions?.find((condition) => condition.type === 'Ready');
  if (status.observedGeneration === generation && ready?.status === 'True') return;
  const conditions = (status.conditions ?? []).filter((condition) => condition.type !== 'Ready');
  conditions.push({
    type: 'Ready',
    status: 'True',
    reason: 'ConfigMapApplied',
    message: 'the ConfigMap is applied',
    observedGeneration: generation,
    lastTransitionTime: ready?.status === 'True' ? ready.lastTransitionTime : new Date().toISOString(),
  });
  await K8s(Widget).PatchStatus({
    metadata: { name, namespace },
    status: { observedGeneration: generation, conditions },
  });
}

const widgetWatch = K8s(Widget).Watch((widget, phase) => {
  const key = keyOf(widget);
  if (phase === 'DELETED') latest.delete(key);
  else latest.set(key, widget);
  queue.add(key);
});
const configMapWatch = K8s(kind.ConfigMap).Watch((configMap) => {
  const owner = configMap.metadata?.ownerReferences?.find(
    (reference) =>
      reference.controller && reference.kind === 'Widget' && reference.apiVersion === `${GROUP}/${VERSION}`,
  );
  if (owner) queue.add(`${configMap.metadata.namespace}/${owner.name}`);
});
await Promise.all([widgetWatch.start(), configMapWatch.start()]);
console.log(`fluent-client Widget operator started, ${process.env.WIDGET_WORKERS ?? 1} worker(s)`);
for (const signal of ['SIGTERM', 'SIGINT'])
  process.once(signal, () => {
    widgetWatch.close();
    configMapWatch.close();
    process.exit(0);
  });
