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

/**
 * Status mirrors the Deployment's real state: replicas, ready replicas, the image it runs, and
 * the conditions Available, Progressing and Degraded with reasons. Problems the schema cannot
 * catch (an unknown rollback revision, a missing Secret) arrive as `problems` and make the
 * MicroService Degraded with their reason.
 */
import type { V1Condition, V1Deployment, V1DeploymentCondition } from '@kubernetes/client-node';
import { setStatusCondition } from 'kubeforge/runtime';
import type { MicroService, MicroServiceStatus } from '../../../api/v1/microservice.types.js';
import { selectorString, serviceUrl } from './children.js';
import type { RevisionUpdate } from './revisions.js';

/** Something wrong with the spec that only shows at reconcile time. */
export interface Problem {
  /** UpperCamelCase reason of the Degraded condition, e.g. RevisionNotFound. */
  reason: string;
  message: string;
}

function deploymentCondition(deployment: V1Deployment, type: string): V1DeploymentCondition | undefined {
  return deployment.status?.conditions?.find((condition) => condition.type === type);
}

/** True when the Deployment controller has seen the latest spec and every pod runs it and is ready. */
function rolledOut(deployment: V1Deployment): boolean {
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) &&
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired
  );
}

/** The status of `microService` given its Deployment as the apiserver returned it. */
export function computeStatus(
  microService: MicroService,
  deployment: V1Deployment,
  revisions: RevisionUpdate,
  problems: Problem[],
): MicroServiceStatus {
  const generation = microService.metadata?.generation;
  const conditions: V1Condition[] = structuredClone(microService.status?.conditions ?? []);
  const set = (type: string, status: boolean, reason: string, message: string) =>
    setStatusCondition(conditions, {
      type,
      status: status ? 'True' : 'False',
      reason,
      message,
      observedGeneration: generation,
    });

  const available = deploymentCondition(deployment, 'Available');
  set(
    'Available',
    available?.status === 'True',
    available?.reason ?? 'DeploymentPending',
    available?.message ?? 'the Deployment has not reported availability yet',
  );

  const progressing = deploymentCondition(deployment, 'Progressing');
  const deadlineExceeded = progressing?.reason === 'ProgressDeadlineExceeded';
  const paused = microService.spec.paused === true;
  if (paused) set('Progressing', false, 'Paused', 'rollouts are paused (spec.paused)');
  else if (deadlineExceeded) set('Progressing', false, 'ProgressDeadlineExceeded', progressing?.message ?? '');
  else if (rolledOut(deployment))
    set('Progressing', false, 'RolloutComplete', `revision ${revisions.revision} is rolled out`);
  else set('Progressing', true, 'RollingOut', `rolling out revision ${revisions.revision}`);

  const problem =
    problems[0] ??
    (deadlineExceeded ? { reason: 'ProgressDeadlineExceeded', message: progressing?.message ?? '' } : undefined);
  if (problem) set('Degraded', true, problem.reason, problems.map((p) => p.message).join('; ') || problem.message);
  else set('Degraded', false, 'AsExpected', 'the children match the spec');

  const container = deployment.spec?.template.spec?.containers[0];
  return {
    observedGeneration: generation,
    replicas: deployment.status?.replicas ?? 0,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
    selector: selectorString(microService),
    currentImage: container?.image,
    revision: revisions.revision,
    history: revisions.history,
    conditions,
    url: serviceUrl(microService),
  };
}

/** True when writing `next` would change the stored status (ignores key order). */
export function statusChanged(current: MicroServiceStatus | undefined, next: MicroServiceStatus): boolean {
  return canonical(current ?? {}) !== canonical(next);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );
}
