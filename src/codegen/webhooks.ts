/**
 * `+kubebuilder:webhook` markers → `config/webhook/manifests.yaml`: one Mutating and one
 * Validating WebhookConfiguration, named `mutating-webhook-configuration` and
 * `validating-webhook-configuration` unless `+kubebuilder:webhookconfiguration` names them, with
 * entries sorted by name (as controller-gen sorts them: by code point) so the output is stable.
 * What one marker adds is its `applyToWebhooks` (`markers/webhook.ts`).
 */
import type { Diagnostics } from './diagnostics.js';
import type { Marker, WebhookSet } from './markers/index.js';

const byName = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const [x, y] = [String(a.name), String(b.name)];
  return x < y ? -1 : x > y ? 1 : 0;
};

export function buildWebhookConfigurations(markers: Marker[], diagnostics: Diagnostics): Record<string, unknown>[] {
  const webhooks: WebhookSet = { mutating: [], validating: [], names: {} };
  for (const marker of markers) marker.definition.applyToWebhooks?.(webhooks, marker, diagnostics);
  const documents: Record<string, unknown>[] = [];
  for (const [which, kind] of [
    ['mutating', 'MutatingWebhookConfiguration'],
    ['validating', 'ValidatingWebhookConfiguration'],
  ] as const) {
    if (webhooks[which].length === 0) continue;
    documents.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind,
      metadata: { name: webhooks.names[which] || `${which}-webhook-configuration` },
      webhooks: webhooks[which].sort(byName),
    });
  }
  return documents;
}
