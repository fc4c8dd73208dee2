/**
 * metav1.Condition helpers with apimachinery's semantics: `lastTransitionTime` moves only when
 * the status changes; reason, message and observedGeneration are always updated.
 */
import type { V1Condition } from '@kubernetes/client-node';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface NewCondition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message?: string;
  observedGeneration?: number;
  /** Defaults to now (whole seconds, as the apiserver stores it). */
  lastTransitionTime?: Date;
}

function nowSeconds(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

/**
 * Adds or updates the condition of `condition.type` in `conditions` (in place).
 * Returns true when anything changed, so callers write status only when needed.
 */
export function setStatusCondition(conditions: V1Condition[], condition: NewCondition): boolean {
  const existing = conditions.find((c) => c.type === condition.type);
  const message = condition.message ?? '';
  if (!existing) {
    conditions.push({ ...condition, message, lastTransitionTime: condition.lastTransitionTime ?? nowSeconds() });
    return true;
  }
  let changed = false;
  if (existing.status !== condition.status) {
    existing.status = condition.status;
    existing.lastTransitionTime = condition.lastTransitionTime ?? nowSeconds();
    changed = true;
  }
  if (existing.reason !== condition.reason) {
    existing.reason = condition.reason;
    changed = true;
  }
  if (existing.message !== message) {
    existing.message = message;
    changed = true;
  }
  if (condition.observedGeneration !== undefined && existing.observedGeneration !== condition.observedGeneration) {
    existing.observedGeneration = condition.observedGeneration;
    changed = true;
  }
  return changed;
}

/** Removes the condition of `type` (in place); true when there was one. */
export function removeStatusCondition(conditions: V1Condition[], type: string): boolean {
  const index = conditions.findIndex((c) => c.type === type);
  if (index < 0) return false;
  conditions.splice(index, 1);
  return true;
}

export function findStatusCondition(conditions: V1Condition[] | undefined, type: string): V1Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isStatusConditionTrue(conditions: V1Condition[] | undefined, type: string): boolean {
  return findStatusCondition(conditions, type)?.status === 'True';
}

export function isStatusConditionFalse(conditions: V1Condition[] | undefined, type: string): boolean {
  return findStatusCondition(conditions, type)?.status === 'False';
}
