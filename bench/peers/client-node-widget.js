// The Widget operator written the way most TypeScript operators are today: @kubernetes/client-node
// (this checkout's version), `makeInformer` for Widgets and the ConfigMaps they own, a small work
// queue, server-side apply through `patchNamespacedConfigMap` with the apply content type, the
// status written with `replaceNamespacedCustomObjectStatus`. Same logic as bench/go-twin/main.go.
// Run with KUBECONFIG and WIDGET_WORKERS in the environment.
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { GROUP, VERSION, desiredConfigMap, ownerWidgetKey, readyStatus } from './widget.js';
import { startWorkQueue } from './work-queue.js';

const PLURAL = 'widgets';
const FIELD_MANAGER = 'widget-operator';
const applyContentType = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const core = kubeConfig.makeApiClient(CoreV1Api);
const custom = kubeConfig.makeApiClient(CustomObjectsApi);

const widgets = makeInformer(kubeConfig, `/apis/${GROUP}/${VERSION}/${PLURAL}`, () =>
  custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }),
);
const configMaps = makeInformer(kubeConfig, '/api/v1/configmaps', () => core.listConfigMapForAllNamespaces());

const queue = startWorkQueue({
  workers: Math.max(1, Number(process.env.WIDGET_WORKERS) || 1),
  reconcile,
  onError: (key, error) => console.error(`reconcile ${key}: ${error.message ?? error}`),
});

async function reconcile(key) {
  const [namespace, name] = key.split('/');
  const widget = widgets.get(name, namespace);
  if (!widget) return;
  await core.patchNamespacedConfigMap(
    { name, namespace, fieldManager: FIELD_MANAGER, force: true, body: desiredConfigMap(widget) },
    applyContentType,
  );
  const status = readyStatus(widget);
  if (!status) return;
  await custom.replaceNamespacedCustomObjectStatus({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: PLURAL,
    name,
    body: { ...widget, status },
  });
}

const enqueue = (widget) => queue.add(`${widget.metadata.namespace}/${widget.metadata.name}`);
const enqueueOwner = (configMap) => {
  const key = ownerWidgetKey(configMap);
  if (key) queue.add(key);
};
for (const verb of ['add', 'update', 'delete']) {
  widgets.on(verb, enqueue);
  configMaps.on(verb, enqueueOwner);
}
let stopping = false;
for (const [name, informer] of [
  ['widgets', widgets],
  ['configmaps', configMaps],
]) {
  // client-node's informer stops on a watch error; restarting it is the operator's job.
  informer.on('error', (error) => {
    if (stopping) return;
    console.error(`${name} informer: ${error?.message ?? error}; restarting in 1 s`);
    setTimeout(() => void informer.start(), 1000);
  });
}
await Promise.all([widgets.start(), configMaps.start()]);
console.log(`client-node Widget operator started, ${process.env.WIDGET_WORKERS ?? 1} worker(s)`);
for (const signal of ['SIGTERM', 'SIGINT'])
  process.once(signal, () => {
    stopping = true;
    void Promise.all([widgets.stop(), configMaps.stop()]).finally(() => process.exit(0));
  });
