/**
 * What marker effects write into: a CRD version entry, the parts of a CRD markers set, the
 * settings of an `api/<version>` package, the manager's RBAC roles and the webhook configurations.
 * The builders (`crd.ts`, `rbac.ts`, `webhooks.ts`) own the whole objects and import these shapes,
 * so markers depend on no builder.
 */
import type { JSONSchemaProps } from '../json-schema.js';

/** One entry of a CRD's `spec.versions`. */
export type CrdVersion = {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  additionalPrinterColumns?: Record<string, unknown>[];
  schema?: { openAPIV3Schema: JSONSchemaProps };
  selectableFields?: { jsonPath: string }[];
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
};

export interface CrdNames {
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
}

/** The parts of a CRD that markers set: names, scope, labels and annotations. */
export interface CrdDraft {
  metadata: { annotations: Record<string, string>; labels?: Record<string, string> };
  spec: { names: CrdNames; scope: string };
}

/** What the package markers of an `api/<version>` folder say. */
export interface PackageSettings {
  groupName?: string;
  versionName?: string;
  skip?: boolean;
}

/** One marker's grant: `verbs` on every group × resource (named ones only, if any) and on `urls`. */
export interface RbacGrant {
  groups: string[];
  resources: string[];
  resourceNames: string[];
  urls: string[];
  verbs: string[];
}

/** The roles rbac markers add grants to, by namespace (`''`: the cluster) and name (the manager's role unless `roleName=`). */
export interface RbacRoles {
  readonly namespacedProject: boolean;
  allow(role: { namespace: string; name?: string }, grant: RbacGrant): void;
}

/** The entries of the Mutating and Validating WebhookConfiguration, and their names if markers set them. */
export interface WebhookSet {
  mutating: Record<string, unknown>[];
  validating: Record<string, unknown>[];
  names: { mutating?: string; validating?: string };
}
