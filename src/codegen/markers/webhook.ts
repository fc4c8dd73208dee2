/**
 * `+kubebuilder:webhook`, usually above a webhook handler in `src/**`: one entry of the Mutating or
 * Validating WebhookConfiguration, served by the `webhook-service` Service (or at `url=`).
 */
import type { MarkerSpec } from './definition.js';

const FAILURE_POLICIES: Record<string, string> = { fail: 'Fail', ignore: 'Ignore' };
const SIDE_EFFECTS = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];

export const WEBHOOK_MARKERS = {
  'kubebuilder:webhook': {
    targets: ['anywhere'],
    fields: {
      path: ['string', true],
      mutating: ['bool', true],
      failurePolicy: ['string', true],
      sideEffects: ['string', true],
      groups: ['stringList', true],
      resources: ['stringList', true],
      verbs: ['stringList', true],
      versions: ['stringList', true],
      name: ['string', true],
      admissionReviewVersions: ['stringList', true],
      matchPolicy: ['string'],
      reinvocationPolicy: ['string'],
      timeoutSeconds: ['int'],
      webhookVersions: ['stringList'],
      url: ['string'],
    },
    applyToWebhooks(webhooks, { fields: f, loc }, diagnostics) {
      const failurePolicy = FAILURE_POLICIES[String(f.failurePolicy).toLowerCase()];
      if (!failurePolicy)
        diagnostics.error(
          loc,
          `+kubebuilder:webhook failurePolicy=${String(f.failurePolicy)} is not valid; use fail or ignore`,
        );
      if (!SIDE_EFFECTS.includes(f.sideEffects as string))
        diagnostics.error(
          loc,
          `+kubebuilder:webhook sideEffects=${String(f.sideEffects)} is not valid; use one of ${SIDE_EFFECTS.join(', ')}`,
        );
      const clientConfig = f.url
        ? { url: f.url }
        : { service: { name: 'webhook-service', namespace: 'system', path: f.path } };
      const webhook: Record<string, unknown> = {
        admissionReviewVersions: f.admissionReviewVersions,
        clientConfig,
        failurePolicy,
        name: f.name,
        rules: [
          {
            apiGroups: f.groups,
            apiVersions: f.versions,
            operations: (f.verbs as string[]).map((v) => v.toUpperCase()),
            resources: f.resources,
          },
        ],
        sideEffects: f.sideEffects,
      };
      if (f.matchPolicy) webhook.matchPolicy = f.matchPolicy;
      if (f.timeoutSeconds !== undefined) webhook.timeoutSeconds = f.timeoutSeconds;
      if (f.mutating && f.reinvocationPolicy) webhook.reinvocationPolicy = f.reinvocationPolicy;
      (f.mutating ? webhooks.mutating : webhooks.validating).push(webhook);
    },
  },
} satisfies Record<string, MarkerSpec>;
