// The Widget operator written the way Pepr users write one with kubernetes-fluent-client:
// `K8s(Widget).Watch` and `K8s(kind.ConfigMap).Watch` feed a small work queue, the ConfigMap is
// server-side applied with `K8s(kind.ConfigMap).Apply(…, { force: true })` and the status written
// with `K8s(Widget).PatchStatus`. Same logic as bench/go-twin/main.go, except the field manager:
// the library always applies as "pepr". bench/peers/index.js copies this file next to the
// installed dependencies and runs it with KUBECONFIG and WIDGET_WORKERS in the environment.
import { GenericKind, K8s, RegisterKind, kind } from 'kubernetes-fluent-client';
import { GROUP, VERSION, desiredConfigMap, ownerWidgetKey, readyStatus } from './widget.js';
import { startWorkQueue } from './work-queue.js';

class Widget extends GenericKind {}
RegisterKind(Widget, { group: GROUP, version: VERSION, kind: 'Widget', plural: 'widgets' });

/** The latest Widget seen on the watch, by `namespace/name`. */
const latest = new Map();

const queue = startWorkQueue({
  workers: Math.max(1, Number(process.env.WIDGET_WORKERS) || 1),
  reconcile,
  onError: (key, error) =>
    console.error(`reconcile ${key}: ${error.status ?? ''} ${error.message ?? error.statusText ?? error}`),
});

async function reconcile(key) {
  const widget = latest.get(key);
  if (!widget) return;
  await K8s(kind.ConfigMap).Apply(desiredConfigMap(widget), { force: true });
  const status = readyStatus(widget);
  if (!status) return;
  const { name, namespace } = widget.metadata;
  await K8s(Widget).PatchStatus({ metadata: { name, namespace }, status });
}

const widgetWatch = K8s(Widget).Watch((widget, phase) => {
  const key = `${widget.metadata.namespace}/${widget.metadata.name}`;
  if (phase === 'DELETED') latest.delete(key);
  else latest.set(key, widget);
  queue.add(key);
});
const configMapWatch = K8s(kind.ConfigMap).Watch((configMap) => {
  const key = ownerWidgetKey(configMap);
  if (key) queue.add(key);
});
await Promise.all([widgetWatch.start(), configMapWatch.start()]);
console.log(`fluent-client Widget operator started, ${process.env.WIDGET_WORKERS ?? 1} worker(s)`);
for (const signal of ['SIGTERM', 'SIGINT'])
  process.once(signal, () => {
    widgetWatch.close();
    configMapWatch.close();
    process.exit(0);
  });
