/**
 * `+kubebuilder:rbac` markers → `config/rbac/role.yaml`: a ClusterRole `manager-role` (a Role for
 * a namespaced project, plus one Role per `namespace=`, and one role per `roleName=`), with rules merged, deduplicated and
 * sorted so the output does not depend on where the markers sit. What one marker grants is its
 * `applyToRbac` (`markers/rbac.ts`).
 */
import type { Diagnostics } from './diagnostics.js';
import type { Marker, RbacGrant, RbacRoles } from './markers/index.js';

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/** Merges grants: same group/resourceNames/verbs → resources combined; then same resources → groups combined. */
function mergeRules(grants: RbacGrant[]): PolicyRule[] {
  const verbsByKey = new Map<string, Set<string>>();
  for (const { groups, resources, resourceNames, urls, verbs } of grants) {
    const atoms: string[] = urls.map((url) => JSON.stringify(['url', url]));
    for (const group of groups.length ? groups : urls.length ? [] : ['']) {
      for (const resource of resources)
        atoms.push(JSON.stringify(['res', group, resource, sortedUnique(resourceNames)]));
    }
    for (const atom of atoms) {
      const set = verbsByKey.get(atom) ?? new Set<string>();
      verbs.forEach((v) => set.add(v));
      verbsByKey.set(atom, set);
    }
  }
  const byGroup = new Map<string, PolicyRule>();
  const urlRules = new Map<string, PolicyRule>();
  for (const [atom, verbSet] of verbsByKey) {
    const verbs = verbSet.has('*') ? ['*'] : sortedUnique(verbSet);
    const parsed = JSON.parse(atom) as [string, string, string?, string[]?];
    if (parsed[0] === 'url') {
      const key = verbs.join(';');
      const rule = urlRules.get(key) ?? { nonResourceURLs: [], verbs };
      rule.nonResourceURLs = sortedUnique([...rule.nonResourceURLs!, parsed[1]]);
      urlRules.set(key, rule);
      continue;
    }
    const [, group, resource, resourceNames] = parsed;
    const key = JSON.stringify([group, resourceNames, verbs]);
    const rule = byGroup.get(key) ?? {
      apiGroups: [group],
      resources: [],
      ...(resourceNames!.length ? { resourceNames } : {}),
      verbs,
    };
    rule.resources = sortedUnique([...rule.resources!, resource!]);
    byGroup.set(key, rule);
  }
  const byResources = new Map<string, PolicyRule>();
  for (const rule of byGroup.values()) {
    const key = JSON.stringify([rule.resources, rule.resourceNames ?? [], rule.verbs]);
    const existing = byResources.get(key);
    if (existing) existing.apiGroups = sortedUnique([...existing.apiGroups!, ...rule.apiGroups!]);
    else byResources.set(key, { ...rule });
  }
  const sortKey = (r: PolicyRule) =>
    JSON.stringify([r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? [], r.verbs]);
  return [...byResources.values(), ...urlRules.values()].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

const codePointOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The role documents for `config/rbac/role.yaml`, or none when there are no rbac markers. */
export function buildRoles(
  markers: Marker[],
  namespacedProject: boolean,
  diagnostics: Diagnostics,
): Record<string, unknown>[] {
  // Keyed by JSON [namespace, role name], sorted by namespace then name as controller-gen sorts them.
  const byRole = new Map<string, RbacGrant[]>();
  const roles: RbacRoles = {
    namespacedProject,
    allow: ({ namespace, name = 'manager-role' }, grant) => {
      const key = JSON.stringify([namespace, name]);
      byRole.set(key, [...(byRole.get(key) ?? []), grant]);
    },
  };
  for (const marker of markers) marker.definition.applyToRbac?.(roles, marker, diagnostics);
  return [...byRole.keys()]
    .map((key) => JSON.parse(key) as [string, string])
    .sort(([ns1, n1], [ns2, n2]) => codePointOrder(ns1, ns2) || codePointOrder(n1, n2))
    .map(([namespace, name]) => {
      const rules = mergeRules(byRole.get(JSON.stringify([namespace, name]))!);
      if (!namespace && !namespacedProject)
        return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules };
      const metadata: Record<string, string> = { name };
      if (namespace) metadata.namespace = namespace;
      return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules };
    });
}
