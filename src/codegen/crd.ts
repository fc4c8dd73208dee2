/**
 * Root kinds → CustomResourceDefinitions: one CRD per group and kind holding all its versions,
 * with names, scope, subresources, printer columns, storage/served/deprecated flags, selectable
 * fields and (when PROJECT says so) webhook conversion, all from the root type's markers.
 */
import { apiGroupOf, pluralOf, type Project } from '../project/index.js';
import type { Diagnostics, SourceLocation } from './diagnostics.js';
import type { Marker } from './markers/index.js';
import type { JSONSchemaProps, SchemaBuilder } from './schema/index.js';
import type { ApiFile, TypeDecl } from './source/index.js';

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations: Record<string, string>; labels?: Record<string, string> };
  spec: Record<string, unknown> & {
    group: string;
    names: { plural: string; kind: string };
    versions: Record<string, unknown>[];
  };
}

interface RootKind {
  decl: TypeDecl;
  file: ApiFile;
  group: string;
  version: string;
  markers: Map<string, Marker[]>;
}

const TYPE_META_DESCRIPTIONS = {
  apiVersion:
    'APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents.\nServers may infer this from the endpoint the client submits requests to.\nCannot be updated.\nIn CamelCase.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

const isRoot = (decl: TypeDecl) => decl.markers.some((m) => m.name === 'kubebuilder:object:root' && m.value !== false);

interface PackageSettings {
  groupName?: string;
  versionName?: string;
  skip?: boolean;
}

/** Package markers per `api/<version>` folder: +groupName, +versionName, +kubebuilder:skip. */
function packageSettings(files: ApiFile[], diagnostics: Diagnostics): Map<string, PackageSettings> {
  const settings = new Map<string, PackageSettings>();
  for (const file of files) {
    const entry = settings.get(file.version) ?? {};
    for (const marker of file.packageMarkers) {
      if (marker.name === 'groupName') entry.groupName = marker.value as string;
      else if (marker.name === 'versionName') entry.versionName = marker.value as string;
      else if (marker.name === 'kubebuilder:skip') entry.skip = true;
      else if (marker.name === 'kubebuilder:validation:Optional' || marker.name === 'kubebuilder:validation:Required') {
        diagnostics.error(
          marker.loc,
          `package-level +${marker.name} has no effect in kubeforge: "?" on each field decides what is optional`,
        );
      }
    }
    settings.set(file.version, entry);
  }
  return settings;
}

/** Finds root kinds and checks that CRD-level markers sit only on them. */
export function findRootKinds(files: ApiFile[], project: Project | undefined, diagnostics: Diagnostics): RootKind[] {
  const packages = packageSettings(files, diagnostics);
  const roots: RootKind[] = [];
  for (const file of files) {
    for (const decl of file.decls.values()) {
      const root = isRoot(decl);
      for (const marker of decl.markers) {
        const { targets } = marker.definition;
        if (targets.includes('type') || (root && targets.includes('root'))) continue;
        const where = targets.includes('root')
          ? 'the root type of a kind (marked +kubebuilder:object:root=true)'
          : `a ${targets.join(' or ')}`;
        diagnostics.error(
          marker.loc,
          `+${marker.definition.name} cannot be used on type ${decl.name}; it belongs on ${where}`,
        );
      }
      const settings = packages.get(file.version);
      if (!root || decl.name.endsWith('List') || settings?.skip) continue;
      const version = settings?.versionName ?? file.version;
      const resource = project?.resources.find((r) => r.kind === decl.name && r.version === version);
      const group = settings?.groupName ?? (resource ? apiGroupOf(resource) : undefined);
      if (!group) {
        diagnostics.error(
          decl.loc,
          `cannot tell the API group of ${decl.name}: add it to PROJECT (kubeforge create api) or put // +groupName=<group> in api/${file.version}/groupversion.ts`,
        );
        continue;
      }
      const markers = new Map<string, Marker[]>();
      for (const marker of decl.markers) markers.set(marker.name, [...(markers.get(marker.name) ?? []), marker]);
      roots.push({ decl, file, group, version, markers });
    }
  }
  return roots;
}

function rootSchema(root: RootKind, builder: SchemaBuilder, diagnostics: Diagnostics): JSONSchemaProps {
  const schema = builder.declSchema(root);
  const properties = schema.properties ?? {};
  if (!properties.metadata)
    diagnostics.error(root.decl.loc, `${root.decl.name} is a root kind but has no "metadata?: V1ObjectMeta" field`);
  else properties.metadata = { type: 'object' };
  for (const key of ['apiVersion', 'kind'] as const) {
    if (properties[key] && !properties[key].description) properties[key].description = TYPE_META_DESCRIPTIONS[key];
  }
  return schema;
}

const one = (root: RootKind, name: string) => root.markers.get(name)?.[0];

function versionEntry(root: RootKind, schema: JSONSchemaProps, storage: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: root.version,
    served: !one(root, 'kubebuilder:unservedversion'),
    storage,
  };
  const deprecated = one(root, 'kubebuilder:deprecatedversion');
  if (deprecated) {
    entry.deprecated = true;
    if (deprecated.fields.warning !== undefined) entry.deprecationWarning = deprecated.fields.warning;
  }
  const columns = root.markers.get('kubebuilder:printcolumn') ?? [];
  if (columns.length > 0) {
    entry.additionalPrinterColumns = columns.map(({ fields }) => {
      const { JSONPath, ...rest } = fields;
      return { ...rest, jsonPath: JSONPath };
    });
  }
  entry.schema = { openAPIV3Schema: schema };
  const selectable = root.markers.get('kubebuilder:selectablefield') ?? [];
  if (selectable.length > 0) entry.selectableFields = selectable.map((m) => ({ jsonPath: m.fields.JSONPath }));
  const subresources: Record<string, unknown> = {};
  if (one(root, 'kubebuilder:subresource:status')) subresources.status = {};
  const scale = one(root, 'kubebuilder:subresource:scale');
  if (scale) {
    subresources.scale = {
      specReplicasPath: scale.fields.specpath,
      statusReplicasPath: scale.fields.statuspath,
      labelSelectorPath: scale.fields.selectorpath,
    };
  }
  if (Object.keys(subresources).length > 0) entry.subresources = subresources;
  return entry;
}

const PRINTER_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];

function checkRootMarkers(root: RootKind, diagnostics: Diagnostics): void {
  for (const column of root.markers.get('kubebuilder:printcolumn') ?? []) {
    if (!PRINTER_TYPES.includes(column.fields.type as string)) {
      diagnostics.error(
        column.loc,
        `+kubebuilder:printcolumn type=${String(column.fields.type)} is not valid; use one of ${PRINTER_TYPES.join(', ')}`,
      );
    }
  }
  const scope = one(root, 'kubebuilder:resource')?.fields.scope;
  if (scope !== undefined && scope !== 'Namespaced' && scope !== 'Cluster') {
    diagnostics.error(
      one(root, 'kubebuilder:resource')!.loc,
      `+kubebuilder:resource scope=${String(scope)} is not valid; use Namespaced or Cluster`,
    );
  }
}

function keyValues(list: unknown, loc: SourceLocation, diagnostics: Diagnostics): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) diagnostics.error(loc, `+kubebuilder:metadata expects key=value pairs, got "${item}"`);
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Builds one CRD per group and kind. */
export function buildCrds(
  roots: RootKind[],
  builder: SchemaBuilder,
  project: Project | undefined,
  generatedBy: string,
  diagnostics: Diagnostics,
): CustomResourceDefinition[] {
  const byKind = new Map<string, RootKind[]>();
  for (const root of roots) {
    checkRootMarkers(root, diagnostics);
    if (one(root, 'kubebuilder:skipversion')) continue;
    const key = `${root.group}/${root.decl.name}`;
    byKind.set(key, [...(byKind.get(key) ?? []), root]);
  }
  const crds: CustomResourceDefinition[] = [];
  for (const versions of byKind.values()) {
    versions.sort((a, b) => a.version.localeCompare(b.version));
    const first = versions[0];
    const kind = first.decl.name;
    const resourceMarker = versions.map((v) => one(v, 'kubebuilder:resource')).find(Boolean);
    const projectResource = project?.resources.find((r) => r.kind === kind && apiGroupOf(r) === first.group);
    const plural = (resourceMarker?.fields.path as string | undefined) ?? projectResource?.plural ?? pluralOf(kind);
    const scope =
      (resourceMarker?.fields.scope as string | undefined) ??
      (projectResource?.namespaced === false ? 'Cluster' : 'Namespaced');
    const storageMarked = versions.filter((v) => one(v, 'kubebuilder:storageversion'));
    if (versions.length > 1 && storageMarked.length !== 1) {
      const at = storageMarked[1] ?? first;
      const problem =
        storageMarked.length === 0
          ? 'none is marked'
          : `${storageMarked.map((v) => v.version).join(' and ')} are marked`;
      diagnostics.error(
        at.decl.loc,
        `${kind} has ${versions.length} versions and needs exactly one +kubebuilder:storageversion (${problem})`,
      );
    }
    const storage = versions.length === 1 ? first : storageMarked[0];
    const names: Record<string, unknown> = {
      kind,
      listKind: `${kind}List`,
      plural,
      singular: (resourceMarker?.fields.singular as string | undefined) ?? kind.toLowerCase(),
    };
    if (resourceMarker?.fields.shortName) names.shortNames = resourceMarker.fields.shortName;
    if (resourceMarker?.fields.categories) names.categories = resourceMarker.fields.categories;
    const spec: CustomResourceDefinition['spec'] = {
      group: first.group,
      names: names as CustomResourceDefinition['spec']['names'],
      scope,
      versions: versions.map((v) => versionEntry(v, rootSchema(v, builder, diagnostics), v === storage)),
    };
    const conversion = project?.resources.some(
      (r) => r.kind === kind && apiGroupOf(r) === first.group && r.webhooks?.conversion,
    );
    if (conversion) {
      spec.conversion = {
        strategy: 'Webhook',
        webhook: {
          clientConfig: { service: { name: 'webhook-service', namespace: 'system', path: '/convert' } },
          conversionReviewVersions: ['v1'],
        },
      };
    }
    const metadataMarker = versions.map((v) => one(v, 'kubebuilder:metadata')).find(Boolean);
    const labels = metadataMarker ? keyValues(metadataMarker.fields.labels, metadataMarker.loc, diagnostics) : {};
    const annotations = metadataMarker
      ? keyValues(metadataMarker.fields.annotations, metadataMarker.loc, diagnostics)
      : {};
    const metadata: CustomResourceDefinition['metadata'] = {
      name: `${plural}.${first.group}`,
      annotations: { ...annotations, 'kubeforge.io/generated-by': generatedBy },
    };
    if (Object.keys(labels).length > 0) metadata.labels = labels;
    crds.push({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata, spec });
  }
  return crds.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}
