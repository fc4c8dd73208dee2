/** A `ReconcileContext` for calling a reconciler directly in a test. */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { ReconcileContext } from '../runtime/index.js';

/** Silent logger (set `KUBEFORGE_TEST_LOG_LEVEL` to see it), a never-aborted signal, a fresh reconcile id. */
export function testReconcileContext(overrides: Partial<ReconcileContext> = {}): ReconcileContext {
  const reconcileId = overrides.reconcileId ?? randomUUID();
  const controller = overrides.controller ?? 'test';
  return {
    log: pino({ level: process.env.KUBEFORGE_TEST_LOG_LEVEL ?? 'silent' }).child({
      controller,
      reconcileID: reconcileId,
    }),
    signal: new AbortController().signal,
    reconcileId,
    controller,
    ...overrides,
  };
}
