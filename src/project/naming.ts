/**
 * Naming rules shared by every command: what a valid domain, group, version, kind, plural and
 * project name look like, and how a kind's names are derived (plural, file base, identifiers).
 * Each `check…` returns `undefined` when the value is valid, otherwise the rule it breaks, so the
 * CLI can name the flag and the PROJECT reader can name the field.
 */
import { pluralOfWord } from './plural.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Kinds that cannot be used: JavaScript reserved words (the kind's camelCase form becomes a
 * variable), global TypeScript types a generated `interface <Kind>` would shadow, and the runtime
 * names the generated controller imports.
 */
const RESERVED_KINDS = new Set([
  // JavaScript reserved words, compared case-insensitively.
  ...['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do']
    .concat(['else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import'])
    .concat(['in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true'])
    .concat(['try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await'])
    .concat(['implements', 'interface', 'package', 'private', 'protected', 'public', 'arguments', 'eval']),
  // Global types and values.
  ...['array', 'bigint', 'boolean', 'date', 'error', 'json', 'map', 'math', 'number', 'object', 'promise']
    .concat(['proxy', 'record', 'partial', 'required', 'readonly', 'pick', 'omit', 'regexp', 'set', 'string'])
    .concat(['symbol', 'weakmap', 'weakset', 'undefined', 'nan', 'infinity', 'reflect']),
  // kubeforge/runtime names the generated controller imports.
  ...['client', 'manager', 'request', 'result', 'reconciler', 'reconcilecontext'],
]);

const DNS_NAMES = {
  subdomain: {
    pattern: DNS1123_SUBDOMAIN,
    maxLength: 253,
    rule: "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
  },
  label: {
    pattern: DNS1123_LABEL,
    maxLength: 63,
    rule: "lower-case letters, digits and '-', starting and ending with a letter or digit",
  },
};

function checkDnsName(value: string, kind: keyof typeof DNS_NAMES): string | undefined {
  const { pattern, maxLength, rule } = DNS_NAMES[kind];
  if (value.length === 0) return 'must not be empty';
  if (value.length > maxLength) return `must be at most ${maxLength} characters (DNS-1123 ${kind})`;
  if (!pattern.test(value)) return `must be a DNS-1123 ${kind}: ${rule}`;
  return undefined;
}

export function checkDnsSubdomain(value: string): string | undefined {
  return checkDnsName(value, 'subdomain');
}

export function checkDnsLabel(value: string): string | undefined {
  return checkDnsName(value, 'label');
}

/** The domain must be a DNS-1123 subdomain; the API group is `<group>.<domain>`. */
export function checkDomain(domain: string): string | undefined {
  return checkDnsSubdomain(domain);
}

/** The group is the first part of the API group; `<group>.<domain>` must stay a DNS-1123 subdomain. */
export function checkGroup(group: string, domain: string): string | undefined {
  const broken = checkDnsSubdomain(group);
  if (broken) return broken;
  if (`${group}.${domain}`.length > 253) return `"${group}.${domain}" must be at most 253 characters`;
  return undefined;
}

export function checkVersion(version: string): string | undefined {
  if (!VERSION.test(version)) {
    return 'must look like v<N>, v<N>alpha<M> or v<N>beta<M> with N, M ≥ 1 (for example v1, v2beta1)';
  }
  return undefined;
}

export function checkKind(kind: string): string | undefined {
  if (!PASCAL_CASE.test(kind)) {
    return 'must be PascalCase: start with an upper-case letter, then letters and digits only (for example Guestbook)';
  }
  if (kind.length > 63) return 'must be at most 63 characters';
  if (RESERVED_KINDS.has(kind.toLowerCase())) {
    return `"${kind}" is reserved (a JavaScript keyword, a global TypeScript type or a name the generated controller imports)`;
  }
  return undefined;
}

/** Plurals are lower-case DNS-1123 labels, as the apiserver serves them. */
export function checkPlural(plural: string): string | undefined {
  return checkDnsLabel(plural);
}

/** The project name names the namespace, deployment and service account: a DNS-1123 label. */
export function checkProjectName(name: string): string | undefined {
  return checkDnsLabel(name);
}

/** Splits a PascalCase kind into its words: `CronJob` → [`Cron`, `Job`], `HTTPRoute` → [`HTTP`, `Route`]. */
function wordsOf(kind: string): string[] {
  return kind.match(/[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+/g) ?? [kind];
}

/** The default resource name: the English plural of the kind's last word, all lower-case (`Policy` → `policies`). */
export function pluralOf(kind: string): string {
  const words = wordsOf(kind);
  const last = words.pop() ?? '';
  return (words.join('') + pluralOfWord(last.toLowerCase())).toLowerCase();
}

/** `CronJob` → `cronjob`: the singular resource name, as kubebuilder and controller-gen derive it. */
export function singularOf(kind: string): string {
  return kind.toLowerCase();
}

/** The names a CRD claims in its API group. */
export interface ResourceNames {
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
}

/**
 * The first name two CRDs of one API group both claim (described for a message), or undefined.
 * As the apiserver's naming check does: plurals, singulars and short names share one namespace,
 * kinds and list kinds another; a CRD whose name is taken is not served (and two CRDs with one
 * plural are one object, the second replacing the first).
 */
export function sharedResourceName(a: ResourceNames, b: ResourceNames): string | undefined {
  const resources = (names: ResourceNames): [string, string][] => [
    ['plural', names.plural],
    ['singular', names.singular],
    ...(names.shortNames ?? []).map((shortName): [string, string] => ['short name', shortName]),
  ];
  const kinds = (names: ResourceNames): [string, string][] => [
    ['kind', names.kind],
    ['list kind', names.listKind],
  ];
  for (const namespace of [resources, kinds]) {
    for (const [roleA, nameA] of namespace(a)) {
      const shared = namespace(b).find(([, nameB]) => nameB === nameA);
      if (shared) return `"${nameA}" (the ${roleA} of ${a.kind} and the ${shared[0]} of ${b.kind})`;
    }
  }
  return undefined;
}

/** `CronJob` → `cronjob`: the base of generated file names (`cronjob.types.ts`), like kubebuilder's. */
export function fileBaseOf(kind: string): string {
  return kind.toLowerCase();
}

/** `CronJob` → `cronJob`, `HTTPRoute` → `httpRoute`: a variable name for one object of the kind. */
export function camelOf(kind: string): string {
  const words = wordsOf(kind);
  return words[0].toLowerCase() + words.slice(1).join('');
}
