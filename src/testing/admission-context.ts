/** An `AdmissionContext` for calling a defaulter or validator directly in a test. */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { AdmissionContext, AdmissionRequest } from '../runtime/webhook/index.js';

/**
 * Silent logger (set `KUBEFORGE_TEST_LOG_LEVEL` to see it), a never-aborted signal and a CREATE
 * request by `test-user`; override any part, e.g. `{ request: { ...ctx.request, dryRun: true } }`.
 */
export function testAdmissionContext(overrides: Partial<AdmissionContext> = {}): AdmissionContext {
  const request: AdmissionRequest = {
    uid: randomUUID(),
    kind: { group: '', version: '', kind: '' },
    resource: { group: '', version: '', resource: '' },
    operation: 'CREATE',
    userInfo: { username: 'test-user' },
  };
  return {
    request,
    log: pino({ level: process.env.KUBEFORGE_TEST_LOG_LEVEL ?? 'silent' }).child({ webhook: 'test' }),
    signal: new AbortController().signal,
    ...overrides,
  };
}
