/**
 * A CustomResourceDefinition for tests that need a kind of their own and not its schema: one
 * served, stored version whose objects keep every field (x-kubernetes-preserve-unknown-fields).
 */
export interface SchemalessCrdNames {
  group: string;
  kind: string;
  plural: string;
  singular?: string;
  shortNames?: string[];
  version?: string;
  scope?: 'Namespaced' | 'Cluster';
}

export function schemalessCrd(names: SchemalessCrdNames) {
  const { group, version = 'v1', scope = 'Namespaced', ...rest } = names;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${group}` },
    spec: {
      group,
      names: { listKind: `${names.kind}List`, ...rest },
      scope,
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}
