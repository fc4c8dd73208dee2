/**
 * Helpers reconcilers reach for: owner references, create-or-update/patch, finalizers with a
 * safe apply/cleanup contract, metav1.Condition handling, event recording, and merge-patch
 * computation (`canonicalJson` is shared with kubeforge/testing's fake client).
 */
export { AlreadyOwnedError, controllerOf, setControllerReference, setOwnerReference } from './owner.js';
export { createOrPatch, createOrUpdate, type CreateOrUpdateResult, type OperationResult } from './create-or-update.js';
export {
  addFinalizer,
  addFinalizerPatch,
  finalize,
  hasFinalizer,
  removeFinalizer,
  removeFinalizerPatch,
  type FinalizerHandlers,
} from './finalizers.js';
export {
  findStatusCondition,
  isStatusConditionFalse,
  isStatusConditionTrue,
  removeStatusCondition,
  setStatusCondition,
  type ConditionStatus,
  type NewCondition,
} from './conditions.js';
export { applyMergePatch, canonicalJson, createMergePatch } from './merge-patch.js';
export { newEventRecorder, type EventDetails, type EventRecorder, type EventType } from './events.js';
