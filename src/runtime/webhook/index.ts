/**
 * Webhooks: the HTTPS server the apiserver calls for admission (defaulting → JSON patch,
 * validation → warnings or a denial with field paths) and for version conversion (through the
 * hub), the builders that register them on the manager's server, and registration of locally
 * served webhooks for dev mode.
 */
export {
  conversionFor,
  CONVERSION_PATH,
  ConversionBuilder,
  webhookFor,
  WebhookBuilder,
  webhookPath,
  type WebhookHost,
} from './builder.js';
export { defaultingHandler, validatingHandler, type ReviewHandler } from './admission.js';
export { ConversionRegistry } from './conversion.js';
export { jsonPatchBetween } from './json-diff.js';
export { registerLocalWebhooks, type LocalWebhookOptions, type LocalWebhooks } from './local-registration.js';
export {
  DEFAULT_CERT_DIR,
  DEFAULT_WEBHOOK_PORT,
  WebhookServer,
  webhookServerOptionsFromEnv,
  type WebhookServerOptions,
} from './server.js';
export type {
  AdmissionContext,
  AdmissionOperation,
  AdmissionRequest,
  AdmissionResponse,
  AdmissionReview,
  ConversionReview,
  Defaulter,
  GroupVersionKind,
  SpokeConverter,
  Validator,
  Warnings,
  WebhookStatus,
} from './types.js';
export { ValidationError, type FieldCause } from './validation-error.js';
