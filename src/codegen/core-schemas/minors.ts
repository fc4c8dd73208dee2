/**
 * The shipped Kubernetes minors and their core schemas. The generated data pools every distinct
 * definition and property schema once; a minor maps each client-node name to a definition whose
 * properties are pool indexes, resolved here into plain definitions.
 */
import { UserError } from '../../errors.js';
import { CORE_SCHEMAS_JSON, CORE_SCHEMAS_KUBERNETES_VERSIONS } from './core-schemas.generated.js';

/** A stored definition: a JSONSchemaProps whose `$ref`s name other definitions. */
export type StoredDefinition = Record<string, unknown>;

interface PooledData {
  pool: StoredDefinition[];
  minors: Record<string, Record<string, number>>;
}

const minorNumber = (minor: string) => Number(minor.split('.')[1]);

/** The shipped minors, oldest first (`['1.35', '1.36', '1.37']`). */
export const SHIPPED_KUBERNETES_MINORS: readonly string[] = Object.keys(CORE_SCHEMAS_KUBERNETES_VERSIONS).sort(
  (a, b) => minorNumber(a) - minorNumber(b),
);

/** The minor used when neither PROJECT nor a flag names one: the newest shipped (envtest's default). */
export const DEFAULT_KUBERNETES_MINOR = SHIPPED_KUBERNETES_MINORS[SHIPPED_KUBERNETES_MINORS.length - 1];

/** The Kubernetes version a shipped minor's core schemas come from (`1.35` → `1.35.4`). */
export function kubernetesVersionOf(minor: string): string {
  return CORE_SCHEMAS_KUBERNETES_VERSIONS[minor];
}

/**
 * The shipped minor a user's `1.35`, `v1.35` or `1.35.4` means; `source` names where the value came
 * from (`--kubernetes-version`, `PROJECT kubernetesVersion`) in the error for anything else.
 */
export function kubernetesMinorOf(value: string, source: string): string {
  const shipped = SHIPPED_KUBERNETES_MINORS.join(', ');
  const match = /^v?(1\.\d+)(?:\.\d+)?$/.exec(value.trim());
  if (!match) {
    throw new UserError(`${source} "${value}" is not a Kubernetes version: expected <major>.<minor>, e.g. 1.35`, {
      hint: `kubeforge ships core schemas for ${shipped}`,
    });
  }
  const minor = match[1];
  if (!SHIPPED_KUBERNETES_MINORS.includes(minor)) {
    throw new UserError(`${source} "${value}" is not a shipped Kubernetes minor (shipped: ${shipped})`, {
      hint: `pick one of ${shipped}; core types then have exactly the fields that minor's clusters have`,
    });
  }
  return minor;
}

let parsed: PooledData | undefined;

/** Client-node name → stored definition, for a shipped minor. */
export function coreSchemaDefinitions(minor: string): Record<string, StoredDefinition> {
  parsed ??= JSON.parse(CORE_SCHEMAS_JSON) as PooledData;
  const { pool, minors } = parsed;
  const names = minors[minor];
  if (!names) throw new Error(`no core schemas for Kubernetes ${minor}`);
  const definitionAt = (index: number): StoredDefinition => {
    const definition = pool[index];
    const properties = definition.properties as Record<string, number> | undefined;
    if (!properties) return definition;
    return {
      ...definition,
      properties: Object.fromEntries(Object.entries(properties).map(([name, at]) => [name, pool[at]])),
    };
  };
  return Object.fromEntries(Object.entries(names).map(([name, index]) => [name, definitionAt(index)]));
}
