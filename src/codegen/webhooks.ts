/**
 * `+kubebuilder:webhook` markers → `config/webhook/manifests.yaml`: one Mutating and one
 * Validating WebhookConfiguration, served by the `webhook-service` Service (as kubebuilder lays
 * out `config/`); entries sorted by name so the output is stable. What one marker adds is its
 * `applyToWebhooks` (`markers/webhook.ts`).
 */
import type { Diagnostics } from './diagnostics.js';
import type { Marker, WebhookSet } from './markers/index.js';

export function buildWebhookConfigurations(markers: Marker[], diagnostics: Diagnostics): Record<string, unknown>[] {
  const webhooks: WebhookSet = { mutating: [], validating: [] };
  for (const marker of markers) marker.definition.applyToWebhooks?.(webhooks, marker, diagnostics);
  const byName = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a.name).localeCompare(String(b.name));
  const documents: Record<string, unknown>[] = [];
  if (webhooks.mutating.length > 0) {
    documents.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'mutating-webhook-configuration' },
      webhooks: webhooks.mutating.sort(byName),
    });
  }
  if (webhooks.validating.length > 0) {
    documents.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'validating-webhook-configuration' },
      webhooks: webhooks.validating.sort(byName),
    });
  }
  return documents;
}
