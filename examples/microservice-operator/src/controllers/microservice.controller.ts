/*
Copyright 2026 The microservice-operator Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

import type { V1Deployment } from '@kubernetes/client-node';
import {
  ConfigMap,
  controllerFor,
  Deployment,
  Result,
  finalize,
  isConflict,
  isInvalid,
  isNotFound,
  setStatusCondition,
  Ingress,
  Secret,
  Service,
  type Client,
  type EventRecorder,
  type Manager,
  type ReconcileContext,
  type Reconciler,
  type Request,
} from 'kubeforge/runtime';
import { MicroServiceKind, type MicroService, type MicroServiceRevision } from '../../api/v1/microservice.types.js';
import {
  childNames,
  computeStatus,
  configHash,
  desiredConfigMap,
  desiredDeployment,
  desiredIngress,
  desiredSecret,
  desiredService,
  findRevision,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  OwnedChildren,
  recordRevision,
  statusChanged,
  unknownRevisionMessage,
  type Problem,
  type RevisionUpdate,
} from './microservice/index.js';

// +kubebuilder:rbac:groups=apps.kubeforge.dev,resources=microservices,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=apps.kubeforge.dev,resources=microservices/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=apps.kubeforge.dev,resources=microservices/finalizers,verbs=update
// +kubebuilder:rbac:groups=apps,resources=deployments,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups="",resources=services;configmaps;secrets,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=networking.k8s.io,resources=ingresses,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

/** Holds a MicroService until its Ingress is removed (traffic stops before the pods go). */
export const FINALIZER = 'apps.kubeforge.dev/cleanup';

/** The controller's name in logs, metrics and events. */
export const CONTROLLER_NAME = 'microservice-controller';

/**
 * Cache scope for main.ts: ConfigMaps and Secrets are cached only when the operator made them
 * (never every Secret of the cluster); Deployments, Services and Ingresses are cached whole.
 */
export const microServiceCacheOptions = {
  byObject: [ConfigMap, Secret].map((kind) => ({ kind, labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` })),
};

/**
 * MicroServiceReconciler makes the cluster run what a MicroService declares: it applies the
 * Deployment, ConfigMap, Secret, Service and Ingress, numbers rollouts in status.history, rolls
 * back on `rollbackTo`, mirrors the Deployment's state into status, and on deletion removes the
 * Ingress first (the rest is garbage-collected through owner references). Level-triggered: every
 * call compares the whole desired state with the world, whatever the change was.
 */
export class MicroServiceReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    /** Uncached reads, for Secrets the operator does not own (secretRefs). */
    private readonly apiReader: Client,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result> {
    const microService = await this.client.get(MicroServiceKind, request);
    if (!microService) return Result.done(); // deleted: its children are garbage-collected
    return finalize(this.client, MicroServiceKind, microService, FINALIZER, {
      apply: (current) => this.apply(current, ctx),
      cleanup: (current) => this.cleanup(current, ctx),
    }).catch((error: unknown) => {
      if (isNotFound(error)) return Result.done(); // gone while we worked (a stale read of a finished deletion)
      throw error;
    });
  }

  private async apply(microService: MicroService, ctx: ReconcileContext): Promise<Result> {
    const children = new OwnedChildren(this.client, this.events, microService, ctx.log);
    const problems: Problem[] = [];
    const { rollbackTo } = microService.spec;
    if (rollbackTo !== undefined) {
      const target = findRevision(microService.status, rollbackTo);
      if (target) return this.rollback(microService, target, children);
      const problem = { reason: 'RevisionNotFound', message: unknownRevisionMessage(microService.status, rollbackTo) };
      problems.push(problem);
      children.record('RollbackFailed', problem.message, 'Warning');
    }
    problems.push(...(await this.missingSecrets(microService)));

    let deployment: V1Deployment;
    try {
      deployment = await this.applyChildren(microService, children);
    } catch (error) {
      if (!isInvalid(error)) throw error;
      // The apiserver rejected a child made from this spec (say, a CPU limit below its request):
      // retrying cannot help until the spec changes, which reconciles again by itself.
      const problem = { reason: 'InvalidSpec', message: (error as Error).message };
      children.record('InvalidSpec', problem.message, 'Warning');
      await this.writeDegraded(microService, problem);
      return Result.requeueAfter(60_000);
    }

    const revisions = recordRevision(microService.status, microService.spec.image, configHash(microService));
    const status = computeStatus(microService, deployment, revisions, problems);
    const written = !statusChanged(microService.status, status) || (await this.writeStatus(microService, status));
    // Only once written: a reconcile working from a stale read has its write refused and records nothing.
    if (revisions.added && written) this.recordRollout(children, revisions);
    ctx.log.info(
      { generation: microService.metadata?.generation, image: status.currentImage, revision: status.revision },
      'reconciled MicroService',
    );
    return Result.done();
  }

  private async applyChildren(microService: MicroService, children: OwnedChildren): Promise<V1Deployment> {
    const names = childNames(microService.metadata?.name ?? '');
    // What the pods read first, then the Deployment and what routes to it (each group in parallel).
    await Promise.all([
      children.reconcile(ConfigMap, names.configMap, desiredConfigMap(microService)),
      children.reconcile(Secret, names.secret, desiredSecret(microService)),
    ]);
    const [deployment] = await Promise.all([
      children.apply(Deployment, desiredDeployment(microService, microService.spec.image)),
      children.reconcile(Service, names.service, desiredService(microService)),
      children.reconcile(Ingress, names.ingress, desiredIngress(microService)),
    ]);
    return deployment;
  }

  /** Sets only the Degraded condition (the rest of status still describes the last good rollout). */
  private async writeDegraded(microService: MicroService, problem: Problem): Promise<void> {
    const conditions = structuredClone(microService.status?.conditions ?? []);
    const { generation } = microService.metadata ?? {};
    setStatusCondition(conditions, { type: 'Degraded', status: 'True', ...problem, observedGeneration: generation });
    const status = { ...microService.status, conditions };
    if (statusChanged(microService.status, status)) await this.writeStatus(microService, status);
  }

  /** Restores the image of `target` as spec.image and clears rollbackTo; the next reconcile rolls it out. */
  private async rollback(
    microService: MicroService,
    target: MicroServiceRevision,
    children: OwnedChildren,
  ): Promise<Result> {
    // Guarded by the rollbackTo we acted on (not the resourceVersion, which our own status writes move).
    // A failed guard means a stale read of a rollback already done, or a rollbackTo changed since:
    // either way the spec moved on, and its change reconciles again.
    const applied = await this.client
      .patch(MicroServiceKind, keyOf(microService), {
        type: 'json',
        operations: [
          { op: 'test', path: '/spec/rollbackTo', value: target.revision },
          { op: 'replace', path: '/spec/image', value: target.image },
          { op: 'remove', path: '/spec/rollbackTo' },
        ],
      })
      .then(
        () => true,
        (error: unknown) => {
          if (isInvalid(error)) return false;
          throw error;
        },
      );
    if (!applied) return Result.done();
    children.record('RollingBack', `rolling back to revision ${target.revision} (image ${target.image})`);
    return Result.done();
  }

  private recordRollout(children: OwnedChildren, revisions: RevisionUpdate): void {
    const added = revisions.added!;
    const previous = revisions.history.at(-2);
    const note = `revision ${added.revision}: image ${added.image}`;
    if (!previous) children.record('Deployed', note);
    else if (previous.image === added.image)
      children.record('ConfigChanged', `${note}, new config ${added.configHash}`);
    else if (revisions.history.slice(0, -1).some((entry) => entry.image === added.image))
      children.record('RolledBack', `${note} (was ${previous.image})`);
    else children.record('Upgraded', `${note} (was ${previous.image})`);
  }

  /** secretRefs naming Secrets that do not exist: the pods could not start, so say so. */
  private async missingSecrets(microService: MicroService): Promise<Problem[]> {
    const namespace = microService.metadata?.namespace;
    const problems: Problem[] = [];
    for (const name of microService.spec.secretRefs ?? []) {
      if (!(await this.apiReader.get(Secret, { namespace, name }))) {
        problems.push({ reason: 'SecretNotFound', message: `secretRefs: Secret ${namespace}/${name} does not exist` });
      }
    }
    return problems;
  }

  /**
   * A merge patch of status only (the spec, with its secretData, is never sent back), guarded by
   * the resourceVersion it was computed from: a status derived from a stale cached read (say, a
   * history without the revision our previous reconcile added) is refused with 409 instead of
   * being written over the newer one. Refused means a newer version exists whose watch event
   * reconciles again on fresh data, so a refusal returns `false` rather than failing the reconcile.
   */
  private async writeStatus(microService: MicroService, status: MicroService['status'] & object): Promise<boolean> {
    const removed = Object.keys(microService.status ?? {}).filter(
      (key) => !(key in status) || status[key as keyof typeof status] === undefined,
    );
    const body = {
      metadata: { resourceVersion: microService.metadata?.resourceVersion },
      status: { ...Object.fromEntries(removed.map((key) => [key, null])), ...status },
    };
    return this.client
      .status()
      .patch(MicroServiceKind, keyOf(microService), { type: 'merge', body })
      .then(
        () => true,
        (error: unknown) => {
          if (isConflict(error)) return false;
          throw error;
        },
      );
  }

  /** Ordered cleanup before the MicroService goes: the Ingress first, so traffic stops before the pods. */
  private async cleanup(microService: MicroService, ctx: ReconcileContext): Promise<Result> {
    const children = new OwnedChildren(this.client, this.events, microService, ctx.log);
    const names = childNames(microService.metadata?.name ?? '');
    await children.remove(Ingress, names.ingress);
    children.record(
      'CleanedUp',
      'Ingress removed; the Deployment, Service, ConfigMap and Secret are garbage-collected',
    );
    return Result.done();
  }
}

function keyOf(microService: MicroService) {
  return { namespace: microService.metadata?.namespace, name: microService.metadata?.name ?? '' };
}

/** Registers the MicroService controller with the manager (called from src/main.ts). */
export function setupMicroServiceController(mgr: Manager) {
  return controllerFor(mgr, MicroServiceKind)
    .named(CONTROLLER_NAME)
    .owns(Deployment)
    .owns(Service)
    .owns(ConfigMap)
    .owns(Secret)
    .owns(Ingress)
    .complete(new MicroServiceReconciler(mgr.client, mgr.apiReader, mgr.eventRecorder(CONTROLLER_NAME)));
}
