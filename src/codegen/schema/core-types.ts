/**
 * Kubernetes core types referenced by their `@kubernetes/client-node` names, expanded into full
 * structural schemas from the shipped data file (`core-schemas/`), as controller-gen expands Go
 * core types: every `$ref` inlined, the referencing field's description winning.
 */
import { SCALARS, type JSONSchemaProps } from '../json-schema.js';

type StoredSchema = JSONSchemaProps & { $ref?: string };

const stored = new Map<string, Record<string, StoredSchema>>();

/** The stored definitions of a shipped Kubernetes minor (default: the newest). */
async function load(minor: string | undefined): Promise<Record<string, StoredSchema>> {
  const { coreSchemaDefinitions, DEFAULT_KUBERNETES_MINOR } = await import('../core-schemas/index.js');
  const key = minor ?? DEFAULT_KUBERNETES_MINOR;
  if (!stored.has(key)) stored.set(key, coreSchemaDefinitions(key) as Record<string, StoredSchema>);
  return stored.get(key)!;
}

export interface CoreSchemas {
  /** The expanded schema of a client-node model name; undefined if unknown. */
  expand(name: string): JSONSchemaProps | undefined;
}

/** controller-gen's `crd:generateEmbeddedObjectMeta=true` form of ObjectMeta inside templates. */
const EMBEDDED_OBJECT_META: JSONSchemaProps = {
  type: 'object',
  properties: {
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    name: { type: 'string' },
    namespace: { type: 'string' },
  },
};

/**
 * `embeddedObjectMeta`: ObjectMeta inside templates keeps name, namespace, labels, annotations and
 * finalizers instead of controller-gen's default bare `type: object` (which prunes them).
 * `kubernetesMinor`: whose core types (`1.35`: only the fields 1.35 clusters have).
 */
export async function loadCoreSchemas(
  options: { embeddedObjectMeta?: boolean; kubernetesMinor?: string } = {},
): Promise<CoreSchemas> {
  const definitions = await load(options.kubernetesMinor);
  const cache = new Map<string, JSONSchemaProps>();
  const expanding = new Set<string>();

  function expandNode(node: StoredSchema): JSONSchemaProps {
    const { $ref, ...rest } = node;
    const base: JSONSchemaProps = $ref ? structuredClone(expandNamed($ref)) : {};
    const out: JSONSchemaProps = { ...base, ...rest };
    if (out.required) out.required = [...out.required].sort();
    if (rest.properties)
      out.properties = Object.fromEntries(Object.entries(rest.properties).map(([k, v]) => [k, expandNode(v)]));
    if (rest.items) out.items = expandNode(rest.items);
    if (rest.additionalProperties && typeof rest.additionalProperties === 'object')
      out.additionalProperties = expandNode(rest.additionalProperties);
    return out;
  }

  function expandNamed(name: string): JSONSchemaProps {
    const cached = cache.get(name);
    if (cached) return cached;
    if (name === 'V1ObjectMeta') return options.embeddedObjectMeta ? EMBEDDED_OBJECT_META : { type: 'object' };
    if (SCALARS[name]) return { ...SCALARS[name] };
    // Recursive definitions (JSONSchemaProps) stop at the second visit, as a free-form object.
    if (expanding.has(name)) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    expanding.add(name);
    const schema = expandNode(definitions[name] ?? {});
    expanding.delete(name);
    cache.set(name, schema);
    return schema;
  }

  return {
    expand: (name) =>
      name in definitions && !name.startsWith('Unnamed.') ? structuredClone(expandNamed(name)) : undefined,
  };
}
