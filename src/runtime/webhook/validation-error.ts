/**
 * `ValidationError`: what a validator throws to deny a request. It carries field paths so the
 * denial reads like the apiserver's own (`spec.replicas: must be at least 1`) and clients see a
 * 422 Invalid status with one cause per field.
 */
import type { WebhookStatus } from './types.js';

export interface FieldCause {
  /** Dotted path of the offending field: `spec.replicas`, `spec.ports[0].name`. */
  field: string;
  message: string;
}

export class ValidationError extends Error {
  readonly causes: FieldCause[];

  /** `new ValidationError('spec.size', 'must be at least 1')` or `new ValidationError([{ field, message }, …])`. */
  constructor(fieldOrCauses: string | FieldCause[], message?: string) {
    const causes =
      typeof fieldOrCauses === 'string' ? [{ field: fieldOrCauses, message: message ?? 'invalid' }] : fieldOrCauses;
    if (causes.length === 0) throw new Error('ValidationError needs at least one field cause');
    super(causes.map((cause) => `${cause.field}: ${cause.message}`).join(', '));
    this.name = 'ValidationError';
    this.causes = causes;
  }

  /** The status of the denial: 422 Invalid, naming the object and each field. */
  toStatus(kind: string, name: string | undefined): WebhookStatus {
    return {
      code: 422,
      reason: 'Invalid',
      message: `${kind} ${name ? `"${name}" ` : ''}is invalid: ${this.message}`,
      details: {
        kind,
        ...(name ? { name } : {}),
        causes: this.causes.map((cause) => ({
          field: cause.field,
          message: cause.message,
          reason: 'FieldValueInvalid',
        })),
      },
    };
  }
}
