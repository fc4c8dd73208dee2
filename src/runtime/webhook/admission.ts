/**
 * AdmissionReview handlers: a mutating one that runs a `Defaulter` on a copy of the object and
 * answers the before/after difference as a JSON patch, and a validating one that dispatches to
 * `validateCreate` / `validateUpdate` / `validateDelete`, answering warnings or a denial.
 */
import type { Logger } from '../log.js';
import type { KubeObject } from '../types.js';
import { jsonPatchBetween } from './json-diff.js';
import type {
  AdmissionContext,
  AdmissionRequest,
  AdmissionResponse,
  AdmissionReview,
  Defaulter,
  Validator,
  Warnings,
} from './types.js';
import { ValidationError } from './validation-error.js';

/** One webhook endpoint: answers a decoded review body; `fail` answers when `handle` could not. */
export interface ReviewHandler {
  handle(body: unknown, signal: AbortSignal, log: Logger): Promise<unknown>;
  fail(body: unknown, code: number, message: string): unknown;
}

export function defaultingHandler<T extends KubeObject>(defaulter: Defaulter<T>): ReviewHandler {
  return admissionHandler(async (request, ctx) => {
    if (!request.object) return allowed(request);
    const before = request.object as T;
    const after = structuredClone(before);
    await defaulter.default(after, ctx);
    const patch = jsonPatchBetween(before, after);
    if (patch.length === 0) return allowed(request);
    return {
      ...allowed(request),
      patchType: 'JSONPatch',
      patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
    };
  });
}

export function validatingHandler<T extends KubeObject>(validator: Validator<T>): ReviewHandler {
  return admissionHandler(async (request, ctx) => {
    let warnings: Warnings = undefined;
    const object = request.object as T;
    const oldObject = request.oldObject as T;
    switch (request.operation) {
      case 'CREATE':
        warnings = await validator.validateCreate?.(object, ctx);
        break;
      case 'UPDATE':
        warnings = await validator.validateUpdate?.(oldObject, object, ctx);
        break;
      case 'DELETE':
        warnings = await validator.validateDelete?.(oldObject, ctx);
        break;
      default:
        break;
    }
    return { ...allowed(request), ...(warnings && warnings.length > 0 ? { warnings } : {}) };
  });
}

function admissionHandler(
  decide: (request: AdmissionRequest, ctx: AdmissionContext) => Promise<AdmissionResponse>,
): ReviewHandler {
  return {
    async handle(body, signal, log) {
      const request = requestOf(body);
      const ctx: AdmissionContext = {
        request,
        signal,
        log: log.child({ operation: request.operation, namespace: request.namespace, name: request.name }),
      };
      let response: AdmissionResponse;
      try {
        response = await decide(request, ctx);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const name = request.name ?? (request.object ?? request.oldObject)?.metadata?.name;
        response = { uid: request.uid, allowed: false, status: error.toStatus(request.kind.kind, name) };
      }
      return review(response);
    },
    fail(body, code, message) {
      const uid = (body as AdmissionReview | undefined)?.request?.uid ?? '';
      return review({
        uid,
        allowed: false,
        status: { code, reason: code === 400 ? 'BadRequest' : 'InternalError', message },
      });
    },
  };
}

function requestOf(body: unknown): AdmissionRequest {
  const reviewBody = body as Partial<AdmissionReview> | null;
  if (
    reviewBody?.kind !== 'AdmissionReview' ||
    reviewBody.apiVersion !== 'admission.k8s.io/v1' ||
    !reviewBody.request
  ) {
    throw new BadReviewError('expected an admission.k8s.io/v1 AdmissionReview with a request');
  }
  return reviewBody.request;
}

function allowed(request: AdmissionRequest): AdmissionResponse {
  return { uid: request.uid, allowed: true };
}

function review(response: AdmissionResponse): AdmissionReview {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

/** A request body that is not the review the endpoint serves: answered with 400. */
export class BadReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadReviewError';
  }
}
