/**
 * Registering webhooks served outside the cluster (dev mode, envtest): the Mutating/Validating
 * WebhookConfigurations `kubeforge manifests` generates are re-pointed from the in-cluster
 * Service to `url: https://127.0.0.1:<port>/<path>` with the local CA bundle and applied under
 * their own names, and CRDs get webhook conversion to `/convert`. `unregister` removes all of it
 * (configurations deleted, conversion back to `None`), so a cluster is left as it was found.
 */
import type {
  AdmissionregistrationV1WebhookClientConfig,
  V1MutatingWebhookConfiguration,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { CustomResourceDefinition, MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from '../kinds.js';
import type { Client, KubeObject } from '../types.js';
import { CONVERSION_PATH } from './builder.js';

const FIELD_MANAGER = 'kubeforge-local-webhooks';

export interface LocalWebhookOptions {
  /** `https://127.0.0.1:9443`: where the webhook server listens. */
  baseUrl: string;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  /** Mutating/ValidatingWebhookConfiguration documents (as in config/webhook/manifests.yaml). */
  configurations: KubeObject[];
  /** CRD names (`guestbooks.webapp.example.com`) whose versions convert through `/convert`. */
  conversionCrds?: string[];
  /** Prepended to each configuration's name, so local registrations never clash with a deployed operator's. Default `kubeforge-dev-`. */
  namePrefix?: string;
}

export interface LocalWebhooks {
  /** Names of the configurations applied. */
  readonly configurationNames: string[];
  unregister(): Promise<void>;
}

type WebhookConfiguration = V1MutatingWebhookConfiguration | V1ValidatingWebhookConfiguration;

export async function registerLocalWebhooks(client: Client, options: LocalWebhookOptions): Promise<LocalWebhooks> {
  const caBundle = Buffer.from(options.caPem).toString('base64');
  const prefix = options.namePrefix ?? 'kubeforge-dev-';
  const applied: { kind: typeof MutatingWebhookConfiguration | typeof ValidatingWebhookConfiguration; name: string }[] =
    [];
  const crds = options.conversionCrds ?? [];
  const unregister = async () => {
    for (const { kind, name } of applied) await client.delete(kind, { name });
    for (const name of crds) {
      const existing = await client.get(CustomResourceDefinition, { name });
      if (!existing) continue;
      await client.patch(
        CustomResourceDefinition,
        { name },
        {
          type: 'merge',
          body: { spec: { conversion: { strategy: 'None', webhook: null } } },
        },
      );
    }
  };
  try {
    for (const document of options.configurations) {
      const kind =
        document.kind === 'MutatingWebhookConfiguration'
          ? MutatingWebhookConfiguration
          : document.kind === 'ValidatingWebhookConfiguration'
            ? ValidatingWebhookConfiguration
            : undefined;
      if (!kind) throw new Error(`not a webhook configuration: ${document.kind ?? 'a document without kind'}`);
      const configuration = document as WebhookConfiguration;
      const name = `${prefix}${configuration.metadata?.name ?? kind.kind.toLowerCase()}`;
      const local: WebhookConfiguration = {
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kubeforge-run' } },
        webhooks: (configuration.webhooks ?? []).map((webhook) => ({
          ...webhook,
          clientConfig: { url: `${options.baseUrl}${pathOf(webhook.clientConfig)}`, caBundle },
        })),
      };
      await client.apply(kind, local as V1MutatingWebhookConfiguration, { fieldManager: FIELD_MANAGER, force: true });
      applied.push({ kind, name });
    }
    for (const name of crds) {
      const conversion = {
        strategy: 'Webhook',
        webhook: {
          conversionReviewVersions: ['v1'],
          clientConfig: { url: `${options.baseUrl}${CONVERSION_PATH}`, caBundle, service: null },
        },
      };
      await client.patch(CustomResourceDefinition, { name }, { type: 'merge', body: { spec: { conversion } } });
    }
  } catch (error) {
    await unregister().catch(() => undefined);
    throw error;
  }
  return { configurationNames: applied.map(({ name }) => name), unregister };
}

function pathOf(clientConfig: AdmissionregistrationV1WebhookClientConfig): string {
  if (clientConfig.url) return new URL(clientConfig.url).pathname;
  const path = clientConfig.service?.path;
  if (!path) throw new Error('a webhook in the configuration has neither a service path nor a url');
  return path;
}
