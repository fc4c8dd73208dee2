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
import { startWorkQueue } from './work-queue.js';

const GROUP = 'bench.example.com';
const VERSION = 'v1';
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
    {
      name,
      namespace,
      fieldManager: FIELD_MANAGER,
      force: true,
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name,
          namespace,
          ownerReferences: [
            {
              apiVersion: `${GROUP}/${VERSION}`,
              kind: 'Widget',
              name,
              uid: widget.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        data: { size: String(widget.spec?.size ?? 0), ...widget.spec?.data },
      },
    },
    applyContentType,
  );
  const generation = widget.metadata.generation;
  const status = widget.status ?? {};
  const ready = status.conditions?.find((condition) => condition.type === 'Ready');
  if (status.observedGeneration === generation && ready?.status === 'True') return;
  const conditions = (status.conditions ?? []).filter((condition) => condition.type !== 'Ready');
  const unchanged = ready?.status === 'True';
  conditions.push({
    type: 'Ready',
    status: 'True',
    reason: 'ConfigMapApplied',
    message: 'the ConfigMap is applied',
    observedGeneration: generation,
    lastTransitionTime: unchanged ? ready.lastTransitionTime : new Date().toISOString(),
  });
  await custom.replaceNamespacedCustomObjectStatus({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: PLURAL,
    name,
    body: { ...widget, status: { ...status, observedGeneration: generation, conditions } },
  });
}

const enqueue = (widget) => queue.add(`${widget.metadata.namespace}/${widget.metadata.name}`);
const enqueueOwner = (configMap) => {
  const owner = configMap.metadata?.ownerReferences?.find(
    (reference) =>
      reference.controller && reference.kind === 'Widget' && reference.apiVersion === `${GROUP}/${VERSION}`,
  );
  if (owner) queue.add(`${configMap.metadata.namespace}/${owner.name}`);
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
