/**
 * `+kubebuilder:rbac`, anywhere in `src/**` or `api/**`: a grant of verbs on resources (or
 * non-resource URLs) to the manager, in its ClusterRole or in a Role of `namespace=`; `roleName=`
 * puts it in a role of that name instead (as controller-gen v0.23 does).
 */
import { checkDnsLabel } from '../../project/index.js';
import type { MarkerSpec } from './definition.js';
import { show } from './syntax.js';

const list = (value: unknown) => (value as string[] | undefined) ?? [];

export const RBAC_MARKERS = {
  'kubebuilder:rbac': {
    targets: ['anywhere'],
    fields: {
      groups: ['stringList'],
      resources: ['stringList'],
      resourceNames: ['stringList'],
      verbs: ['stringList', true],
      urls: ['stringList'],
      namespace: ['string'],
      roleName: ['string'],
    },
    repeatable: true,
    applyToRbac(roles, { fields, loc }, diagnostics) {
      const namespace = (fields.namespace as string | undefined) ?? '';
      const brokenNamespace = fields.namespace === undefined ? undefined : checkDnsLabel(namespace);
      if (brokenNamespace)
        diagnostics.error(
          loc,
          `+kubebuilder:rbac namespace=${show(namespace)} is not a namespace name: it ${brokenNamespace}`,
        );
      if (list(fields.verbs).length === 0 || list(fields.verbs).includes(''))
        diagnostics.error(loc, '+kubebuilder:rbac needs verbs=, each a verb such as get;list;watch');
      for (const key of ['resources', 'resourceNames', 'urls'])
        if (list(fields[key]).includes(''))
          diagnostics.error(loc, `+kubebuilder:rbac ${key}= has an empty entry: remove the stray ";"`);
      const urls = list(fields.urls);
      if ((namespace || roles.namespacedProject) && urls.length > 0) {
        diagnostics.error(
          loc,
          '+kubebuilder:rbac urls= (non-resource URLs) need a ClusterRole: they cannot be used with namespace= or in a namespaced project',
        );
      }
      const resources = list(fields.resources);
      if (urls.length === 0 && resources.length === 0) {
        diagnostics.error(loc, '+kubebuilder:rbac needs resources= (with groups=) or urls=');
      }
      const roleName = fields.roleName as string | undefined;
      if (roleName !== undefined && !/^[^/%]+$/.test(roleName.replace(/^\.\.?$/, '/')))
        diagnostics.error(
          loc,
          `+kubebuilder:rbac roleName=${show(roleName)} is not a role name: it must be non-empty, not . or .., without / or %`,
        );
      roles.allow(
        { namespace, name: roleName },
        {
          // controller-gen lets "core" stand for the core group, whose name is "".
          groups: list(fields.groups).map((group) => (group === 'core' ? '' : group)),
          resources,
          resourceNames: list(fields.resourceNames),
          urls,
          verbs: list(fields.verbs),
        },
      );
    },
  },
} satisfies Record<string, MarkerSpec>;
