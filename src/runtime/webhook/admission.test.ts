import { describe, expect, it } from 'vitest';
import { newLogger } from '../log.js';
import type { KubeObject } from '../types.js';
import { BadReviewError, defaultingHandler, validatingHandler } from './admission.js';
import type { AdmissionOperation, AdmissionReview } from './types.js';
import { ValidationError } from './validation-error.js';

interface Widget extends KubeObject {
  spec?: { size?: number; color?: string };
}

const log = newLogger({ level: 'silent' });
const signal = new AbortController().signal;

function review(
  operation: AdmissionOperation,
  object: Widget | null,
  oldObject: Widget | null = null,
): AdmissionReview {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'uid-1',
      kind: { group: 'toys.example.com', version: 'v1', kind: 'Widget' },
      resource: { group: 'toys.example.com', version: 'v1', resource: 'widgets' },
      name: 'w',
      namespace: 'ns',
      operation,
      userInfo: { username: 'alice' },
      object,
      oldObject,
    },
  };
}

function decodePatch(answer: unknown): unknown {
  const response = (answer as AdmissionReview).response;
  return response?.patch ? JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) : undefined;
}

describe('defaulting handler', () => {
  it('answers the defaulter’s mutations as a base64 JSON patch', async () => {
    const handler = defaultingHandler<Widget>({
      default(widget) {
        widget.spec = { ...widget.spec, size: widget.spec?.size ?? 1 };
      },
    });
    const answer = (await handler.handle(
      review('CREATE', { metadata: { name: 'w' }, spec: { color: 'red' } }),
      signal,
      log,
    )) as AdmissionReview;
    expect(answer).toMatchObject({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'uid-1', allowed: true, patchType: 'JSONPatch' },
    });
    expect(decodePatch(answer)).toEqual([{ op: 'add', path: '/spec/size', value: 1 }]);
  });

  it('allows without a patch when the defaulter changes nothing', async () => {
    const answer = (await defaultingHandler<Widget>({ default() {} }).handle(
      review('CREATE', { spec: { size: 2 } }),
      signal,
      log,
    )) as AdmissionReview;
    expect(answer.response).toEqual({ uid: 'uid-1', allowed: true });
  });
});

describe('validating handler', () => {
  const validator = validatingHandler<Widget>({
    validateCreate(widget) {
      if ((widget.spec?.size ?? 0) < 1) throw new ValidationError('spec.size', 'must be at least 1');
      return widget.spec?.color ? [] : ['spec.color is empty: the widget will be grey'];
    },
    validateUpdate(oldWidget, newWidget) {
      if (oldWidget.spec?.color !== newWidget.spec?.color) throw new ValidationError('spec.color', 'is immutable');
    },
  });

  it('denies with 422 Invalid, the message and the field path', async () => {
    const answer = (await validator.handle(review('CREATE', { spec: { size: 0 } }), signal, log)) as AdmissionReview;
    expect(answer.response).toEqual({
      uid: 'uid-1',
      allowed: false,
      status: {
        code: 422,
        reason: 'Invalid',
        message: 'Widget "w" is invalid: spec.size: must be at least 1',
        details: {
          kind: 'Widget',
          name: 'w',
          causes: [{ field: 'spec.size', message: 'must be at least 1', reason: 'FieldValueInvalid' }],
        },
      },
    });
  });

  it('allows with warnings', async () => {
    const answer = (await validator.handle(review('CREATE', { spec: { size: 1 } }), signal, log)) as AdmissionReview;
    expect(answer.response).toEqual({
      uid: 'uid-1',
      allowed: true,
      warnings: ['spec.color is empty: the widget will be grey'],
    });
  });

  it('passes old and new objects to validateUpdate and admits operations without a method', async () => {
    const denied = (await validator.handle(
      review('UPDATE', { spec: { color: 'b' } }, { spec: { color: 'a' } }),
      signal,
      log,
    )) as AdmissionReview;
    expect(denied.response?.status?.message).toBe('Widget "w" is invalid: spec.color: is immutable');
    const deleted = (await validator.handle(review('DELETE', null, { spec: {} }), signal, log)) as AdmissionReview;
    expect(deleted.response).toEqual({ uid: 'uid-1', allowed: true });
  });

  it('lets other errors through to the server, which answers them as internal errors', async () => {
    const throwing = validatingHandler<Widget>({
      validateCreate() {
        throw new TypeError('boom');
      },
    });
    await expect(throwing.handle(review('CREATE', {}), signal, log)).rejects.toThrow('boom');
    expect(throwing.fail(review('CREATE', {}), 500, 'internal error: boom')).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'uid-1',
        allowed: false,
        status: { code: 500, reason: 'InternalError', message: 'internal error: boom' },
      },
    });
  });

  it('rejects a body that is not an AdmissionReview', async () => {
    await expect(validator.handle({ kind: 'ConversionReview' }, signal, log)).rejects.toBeInstanceOf(BadReviewError);
  });
});
