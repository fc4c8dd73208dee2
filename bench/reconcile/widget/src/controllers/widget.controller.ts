import {
  ConfigMap,
  controllerFor,
  Result,
  isStatusConditionTrue,
  setControllerReference,
  setStatusCondition,
  type Client,
  type Manager,
  type Reconciler,
  type Request,
} from 'kubeforge/runtime';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { WidgetKind } from '../../api/v1/widget.types.js';

// +kubebuilder:rbac:groups=bench.example.com,resources=widgets,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=bench.example.com,resources=widgets/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=bench.example.com,resources=widgets/finalizers,verbs=update
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;update;patch;delete

const FIELD_MANAGER = 'widget-operator';

/**
 * For each Widget: server-side apply one ConfigMap it owns, then record the generation in
 * `status.observedGeneration` with a Ready condition. The same logic as bench/go-twin/main.go.
 */
export class WidgetReconciler implements Reconciler {
  constructor(private readonly client: Client) {}

  async reconcile(request: Request): Promise<Result> {
    const widget = await this.client.get(WidgetKind, request);
    if (!widget) return Result.done();
    const configMap: V1ConfigMap = {
      metadata: { name: request.name, namespace: request.namespace },
      data: { size: String(widget.spec?.size ?? 0), ...widget.spec?.data },
    };
    setControllerReference(widget, configMap, WidgetKind);
    await this.client.apply(ConfigMap, configMap, { fieldManager: FIELD_MANAGER, force: true });

    const generation = widget.metadata?.generation;
    const status = widget.status ?? {};
    if (status.observedGeneration === generation && isStatusConditionTrue(status.conditions, 'Ready'))
      return Result.done();
    const conditions = structuredClone(status.conditions ?? []); // the cached object stays untouched
    setStatusCondition(conditions, {
      type: 'Ready',
      status: 'True',
      reason: 'ConfigMapApplied',
      message: 'the ConfigMap is applied',
      observedGeneration: generation,
    });
    await this.client
      .status()
      .update(WidgetKind, { ...widget, status: { observedGeneration: generation, conditions } });
    return Result.done();
  }
}

/** Registers the Widget controller; `WIDGET_WORKERS` sets its concurrent reconciles (default 1). */
export function setupWidgetController(mgr: Manager) {
  return controllerFor(mgr, WidgetKind)
    .owns(ConfigMap)
    .withOptions({ maxConcurrentReconciles: Number(process.env.WIDGET_WORKERS ?? 1) })
    .complete(new WidgetReconciler(mgr.client));
}
