/**
 * `+kubebuilder:webhook` markers → `config/webhook/manifests.yaml`: one Mutating and one
 * Validating WebhookConfiguration, served by the `webhook-service` Service (as kubebuilder lays
 * out `config/`); entries sorted by name so the output is stable.
 */
import type { Diagnostics } from './diagnostics.js';
import type { Marker } from './markers/index.js';

const FAILURE_POLICIES: Record<string, string> = { fail: 'Fail', ignore: 'Ignore' };
const SIDE_EFFECTS = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];

export function buildWebhookConfigurations(markers: Marker[], diagnostics: Diagnostics): Record<string, unknown>[] {
  const mutating: Record<string, unknown>[] = [];
  const validating: Record<string, unknown>[] = [];
  for (const marker of markers) {
    const f = marker.fields;
    const failurePolicy = FAILURE_POLICIES[String(f.failurePolicy).toLowerCase()];
    if (!failurePolicy)
      diagnostics.error(
        marker.loc,
        `+kubebuilder:webhook failurePolicy=${String(f.failurePolicy)} is not valid; use fail or ignore`,
      );
    if (!SIDE_EFFECTS.includes(f.sideEffects as string))
      diagnostics.error(
        marker.loc,
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
    (f.mutating ? mutating : validating).push(webhook);
  }
  const byName = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a.name).localeCompare(String(b.name));
  const documents: Record<string, unknown>[] = [];
  if (mutating.length > 0) {
    documents.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'mutating-webhook-configuration' },
      webhooks: mutating.sort(byName),
    });
  }
  if (validating.length > 0) {
    documents.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'validating-webhook-configuration' },
      webhooks: validating.sort(byName),
    });
  }
  return documents;
}
