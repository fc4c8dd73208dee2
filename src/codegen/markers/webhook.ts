/**
 * `+kubebuilder:webhook`, usually above a webhook handler in `src/**`: one entry of the Mutating or
 * Validating WebhookConfiguration, served by the `webhook-service` Service (or at `url=`).
 */
import { checkDnsSubdomain } from '../../project/index.js';
import type { MarkerSpec } from './definition.js';
import { show } from './syntax.js';

const FAILURE_POLICIES: Record<string, string> = { fail: 'Fail', ignore: 'Ignore' };
/** admissionregistration.k8s.io/v1 accepts only webhooks without side effects (or none on dry run). */
const SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const REVIEW_VERSIONS = ['v1', 'v1beta1'];
const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*'];
const CHOICES: Record<string, string[]> = {
  matchPolicy: ['Exact', 'Equivalent'],
  reinvocationPolicy: ['Never', 'IfNeeded'],
};

/** What the apiserver refuses in a webhook entry, as `key=value is …: fix` texts. */
function problems(f: Record<string, unknown>): string[] {
  const out: string[] = [];
  const list = (key: string) => (f[key] as string[] | undefined) ?? [];
  const name = String(f.name);
  const brokenName =
    checkDnsSubdomain(name) ?? (name.split('.').length < 3 ? 'has fewer than three segments' : undefined);
  if (brokenName)
    out.push(`name=${show(name)} must be a fully qualified domain name (like vguestbook-v1.kb.io): it ${brokenName}`);
  const timeout = f.timeoutSeconds as number | undefined;
  if (timeout !== undefined && (timeout < 1 || timeout > 30)) out.push(`timeoutSeconds=${timeout} is outside 1 to 30`);
  const reviews = list('admissionReviewVersions');
  if (!reviews.some((v) => REVIEW_VERSIONS.includes(v)) || new Set(reviews).size !== reviews.length)
    out.push(`admissionReviewVersions=${show(reviews)} must include v1 (or v1beta1), each once`);
  for (const [key, allowed] of Object.entries(CHOICES))
    if (f[key] !== undefined && !allowed.includes(f[key] as string))
      out.push(`${key}=${show(f[key])} is not valid; use one of ${allowed.join(', ')}`);
  const operations = list('verbs').map((v) => v.toUpperCase());
  if (operations.some((op) => !OPERATIONS.includes(op)))
    out.push(`verbs=${show(list('verbs'))} is not valid; use create, update, delete, connect or *`);
  for (const key of ['groups', 'resources', 'versions'])
    if (list(key).length === 0 || (key !== 'groups' && list(key).includes('')))
      out.push(`${key}= is empty: list at least one`);
  if ((f.webhookVersions as string[] | undefined)?.some((v) => v !== 'v1'))
    out.push('webhookVersions= only supports v1');
  if (f.url === undefined && !String(f.path).startsWith('/')) out.push(`path=${show(f.path)} must start with "/"`);
  return out;
}

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
    repeatable: true,
    applyToWebhooks(webhooks, { fields: f, loc }, diagnostics) {
      for (const problem of problems(f)) diagnostics.error(loc, `+kubebuilder:webhook ${problem}`);
      if ((f.mutating ? webhooks.mutating : webhooks.validating).some((w) => w.name === f.name))
        diagnostics.error(
          loc,
          `+kubebuilder:webhook name=${show(f.name)} is taken by another webhook: give each its own name`,
        );
      const failurePolicy = FAILURE_POLICIES[String(f.failurePolicy).toLowerCase()];
      if (!failurePolicy)
        diagnostics.error(
          loc,
          `+kubebuilder:webhook failurePolicy=${show(f.failurePolicy)} is not valid; use fail or ignore`,
        );
      if (!SIDE_EFFECTS.includes(f.sideEffects as string))
        diagnostics.error(
          loc,
          `+kubebuilder:webhook sideEffects=${show(f.sideEffects)} is not valid; use one of ${SIDE_EFFECTS.join(', ')}`,
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
