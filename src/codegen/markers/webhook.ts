/**
 * `+kubebuilder:webhook`, usually above a webhook handler in `src/**`: one entry of the Mutating or
 * Validating WebhookConfiguration, served by a Service (`webhook-service` in `system` unless
 * serviceName=/serviceNamespace=/servicePort= say otherwise) or at `url=`; `patch=` merges in what
 * the keys do not cover (selectors, matchConditions). `+kubebuilder:webhookconfiguration` names
 * the configuration objects. As controller-gen v0.23 reads them; values it passes through for the
 * apiserver to reject are errors here.
 */
import { checkDnsLabel, checkDnsSubdomain } from '../../project/index.js';
import type { MarkerSpec } from './definition.js';
import { show } from './syntax.js';
import { patchWebhook } from './webhook-patch.js';

const REVIEW_VERSIONS = ['v1', 'v1beta1'];
const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*'];
/** Keys whose values are spelt in any case (`failurePolicy=fail`) and written as the API spells them. */
const CHOICES: Record<string, string[]> = {
  failurePolicy: ['Fail', 'Ignore'],
  /** admissionregistration.k8s.io/v1 accepts only webhooks without side effects (or none on dry run). */
  sideEffects: ['None', 'NoneOnDryRun'],
  matchPolicy: ['Exact', 'Equivalent'],
  reinvocationPolicy: ['Never', 'IfNeeded'],
};

const canonical = (key: string, value: unknown) =>
  CHOICES[key].find((choice) => choice.toLowerCase() === String(value).toLowerCase());

function brokenName(name: string): string | undefined {
  return checkDnsSubdomain(name) ?? (name.split('.').length < 3 ? 'has fewer than three segments' : undefined);
}

/** What the apiserver (or controller-gen) refuses in the marker's keys, as `key=value is …: fix` texts. */
function problems(f: Record<string, unknown>): string[] {
  const out: string[] = [];
  const list = (key: string) => (f[key] as string[] | undefined) ?? [];
  for (const key of Object.keys(CHOICES))
    if (f[key] !== undefined && !canonical(key, f[key]))
      out.push(`${key}=${show(f[key])} is not valid; use one of ${CHOICES[key].join(', ')}`);
  const operations = list('verbs').map((v) => v.toUpperCase());
  if (operations.some((op) => !OPERATIONS.includes(op)))
    out.push(`verbs=${show(list('verbs'))} is not valid; use create, update, delete, connect or *`);
  for (const key of ['groups', 'resources', 'versions'])
    if (list(key).length === 0 || (key !== 'groups' && list(key).includes('')))
      out.push(`${key}= is empty: list at least one`);
  if ((f.webhookVersions as string[] | undefined)?.some((v) => v !== 'v1'))
    out.push('webhookVersions= only supports v1');
  if (f.url !== undefined && f.path !== undefined) out.push('has both path= and url=: keep one');
  if (f.url === undefined && f.path === undefined)
    out.push('needs path= (served by the webhook Service) or url= (served elsewhere)');
  if (f.path !== undefined && !String(f.path).startsWith('/')) out.push(`path=${show(f.path)} must start with "/"`);
  for (const key of ['serviceName', 'serviceNamespace']) {
    if (f[key] === undefined) continue;
    if (f.url !== undefined) out.push(`${key}= has no effect with url=: remove one`);
    const broken = checkDnsLabel(String(f[key]));
    if (broken) out.push(`${key}=${show(f[key])} is not a Service or namespace name: it ${broken}`);
  }
  const port = f.servicePort as number | undefined;
  if (port !== undefined && f.url !== undefined) out.push('servicePort= has no effect with url=: remove one');
  if (port !== undefined && (port < 1 || port > 65535)) out.push(`servicePort=${port} is outside 1 to 65535`);
  return out;
}

/** What the apiserver refuses in a finished entry (after patch=), as `field=value is …` texts. */
function entryProblems(entry: Record<string, unknown>): string[] {
  const out: string[] = [];
  const name = String(entry.name);
  const broken = brokenName(name);
  if (broken)
    out.push(`name=${show(name)} must be a fully qualified domain name (like vguestbook-v1.kb.io): it ${broken}`);
  const timeout = entry.timeoutSeconds as number | undefined;
  if (timeout !== undefined && (timeout < 1 || timeout > 30)) out.push(`timeoutSeconds=${timeout} is outside 1 to 30`);
  const reviews = (entry.admissionReviewVersions as string[] | undefined) ?? [];
  if (!reviews.some((v) => REVIEW_VERSIONS.includes(v)) || new Set(reviews).size !== reviews.length)
    out.push(`admissionReviewVersions=${show(reviews)} must include v1 (or v1beta1), each once`);
  return out;
}

/** The entry the keys describe, before patch=. */
function entryOf(f: Record<string, unknown>): Record<string, unknown> {
  const service: Record<string, unknown> = {
    name: f.serviceName ?? 'webhook-service',
    namespace: f.serviceNamespace ?? 'system',
    path: f.path,
  };
  if (f.servicePort !== undefined) service.port = f.servicePort;
  const entry: Record<string, unknown> = {
    admissionReviewVersions: f.admissionReviewVersions,
    clientConfig: f.url !== undefined ? { url: f.url } : { service },
    failurePolicy: canonical('failurePolicy', f.failurePolicy),
    name: f.name,
    rules: [
      {
        // controller-gen lets "core" stand for the core group, whose name is "".
        apiGroups: (f.groups as string[]).map((group) => (group === 'core' ? '' : group)),
        apiVersions: f.versions,
        operations: (f.verbs as string[]).map((v) => v.toUpperCase()),
        resources: f.resources,
      },
    ],
    sideEffects: canonical('sideEffects', f.sideEffects),
  };
  if (f.matchPolicy) entry.matchPolicy = canonical('matchPolicy', f.matchPolicy);
  if (f.timeoutSeconds !== undefined) entry.timeoutSeconds = f.timeoutSeconds;
  if (f.mutating && f.reinvocationPolicy)
    entry.reinvocationPolicy = canonical('reinvocationPolicy', f.reinvocationPolicy);
  return entry;
}

export const WEBHOOK_MARKERS = {
  'kubebuilder:webhook': {
    targets: ['anywhere'],
    fields: {
      path: ['string'],
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
      serviceName: ['string'],
      serviceNamespace: ['string'],
      servicePort: ['int'],
      patch: ['string'],
    },
    repeatable: true,
    applyToWebhooks(webhooks, { fields: f, loc }, diagnostics) {
      const report = (problem: string) => diagnostics.error(loc, `+kubebuilder:webhook ${problem}`);
      problems(f).forEach(report);
      let entry = entryOf(f);
      if (f.patch !== undefined) {
        const patched = patchWebhook(entry, String(f.patch), f.mutating === true);
        if ('problems' in patched) patched.problems.forEach(report);
        else entry = patched.entry;
      }
      entryProblems(entry).forEach(report);
      if (entry.sideEffects === undefined && canonical('sideEffects', f.sideEffects))
        report(`patch= removes sideEffects, which admissionregistration.k8s.io/v1 requires`);
      const entries = f.mutating ? webhooks.mutating : webhooks.validating;
      if (entries.some((w) => w.name === entry.name))
        report(`name=${show(entry.name)} is taken by another webhook: give each its own name`);
      entries.push(entry);
    },
  },
  'kubebuilder:webhookconfiguration': {
    targets: ['anywhere'],
    fields: { mutating: ['bool', true], name: ['string'] },
    repeatable: true,
    applyToWebhooks(webhooks, { fields: f, loc }, diagnostics) {
      const which = f.mutating ? 'mutating' : 'validating';
      const name = f.name as string | undefined;
      if (webhooks.names[which] !== undefined)
        diagnostics.error(loc, `+kubebuilder:webhookconfiguration: a second ${which} configuration; name it once`);
      const broken = name === undefined ? undefined : checkDnsSubdomain(name);
      if (broken)
        diagnostics.error(
          loc,
          `+kubebuilder:webhookconfiguration name=${show(name)} is not an object name: it ${broken}`,
        );
      // Without name= controller-gen keeps the default name; so does kubeforge.
      webhooks.names[which] = name ?? '';
    },
  },
} satisfies Record<string, MarkerSpec>;
