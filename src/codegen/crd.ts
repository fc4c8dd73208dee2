/**
 * Root kinds → CustomResourceDefinitions: one CRD per group and kind holding all its versions.
 * What the root type's markers mean (names, scope, subresources, printer columns, storage/served/
 * deprecated flags, selectable fields, metadata) is each marker's `applyToVersion` / `applyToCrd`
 * in `markers/crd.ts`; this module finds the kinds, groups their versions, insists on one storage
 * version and adds webhook conversion when PROJECT says so.
 */
import { apiGroupOf, checkVersion, pluralOf, sharedResourceName, singularOf, type Project } from '../project/index.js';
import type { Diagnostics } from './diagnostics.js';
import type { CrdNames, CrdVersion, Marker, MarkerName, PackageSettings } from './markers/index.js';
import type { JSONSchemaProps, SchemaBuilder } from './schema/index.js';
import type { ApiFile, TypeDecl } from './source/index.js';

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations: Record<string, string>; labels?: Record<string, string> };
  spec: Record<string, unknown> & {
    group: string;
    names: CrdNames;
    scope: string;
    versions: Record<string, unknown>[];
  };
}

interface RootKind {
  decl: TypeDecl;
  file: ApiFile;
  group: string;
  version: string;
  markers: Map<MarkerName, Marker[]>;
}

const TYPE_META_DESCRIPTIONS = {
  apiVersion:
    'APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents.\nServers may infer this from the endpoint the client submits requests to.\nCannot be updated.\nIn CamelCase.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

const isRoot = (decl: TypeDecl) => decl.markers.some((m) => m.name === 'kubebuilder:object:root' && m.value !== false);

/**
 * Package markers per API package folder (`api/<version>`, or `api/<group>/<version>` in a
 * multigroup project): +groupName, +versionName, +kubebuilder:skip.
 */
function packageSettings(files: ApiFile[], diagnostics: Diagnostics): Map<string, PackageSettings> {
  const settings = new Map<string, PackageSettings>();
  for (const file of files) {
    const entry = settings.get(file.version) ?? {};
    for (const marker of file.packageMarkers) marker.definition.applyToPackage?.(entry, marker, diagnostics);
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
      const folderVersion = file.version.split('/').at(-1) ?? file.version;
      const version = settings?.versionName ?? folderVersion;
      const badFolder = settings?.versionName === undefined ? checkVersion(folderVersion) : undefined;
      if (badFolder) {
        diagnostics.error(
          decl.loc,
          `${decl.name} takes its version from its folder api/${file.version}, which ${badFolder}: rename the folder or put // +versionName=<version> in its groupversion.ts`,
        );
        continue;
      }
      const resource =
        project?.resources.find((r) => r.kind === decl.name && r.path === `api/${file.version}`) ??
        project?.resources.find((r) => r.kind === decl.name && r.version === version);
      const group = settings?.groupName ?? (resource ? apiGroupOf(resource) : undefined);
      if (!group) {
        diagnostics.error(
          decl.loc,
          `cannot tell the API group of ${decl.name}: add it to PROJECT (kubeforge create api) or put // +groupName=<group> in api/${file.version}/groupversion.ts`,
        );
        continue;
      }
      const markers = new Map<MarkerName, Marker[]>();
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

/** The version entry of a root kind: its markers' effects; `schema` comes later. */
function versionEntry(root: RootKind): CrdVersion {
  const version: CrdVersion = { name: root.version, served: true, storage: false };
  for (const markers of root.markers.values()) markers[0].definition.applyToVersion?.(version, markers);
  return version;
}

/** One version is the storage version: the only one, or the one marked +kubebuilder:storageversion. */
function settleStorage(versions: RootKind[], entries: CrdVersion[], diagnostics: Diagnostics): void {
  if (versions.length === 1) {
    entries[0].storage = true;
    return;
  }
  const storageMarked = versions.filter((_, i) => entries[i].storage);
  if (storageMarked.length !== 1) {
    const at = storageMarked[1] ?? versions[0];
    const problem =
      storageMarked.length === 0 ? 'none is marked' : `${storageMarked.map((v) => v.version).join(' and ')} are marked`;
    diagnostics.error(
      at.decl.loc,
      `${versions[0].decl.name} has ${versions.length} versions and needs exactly one +kubebuilder:storageversion (${problem})`,
    );
  }
}

/** The CRD of one group and kind from its versions (sorted by name). */
function buildCrd(
  versions: RootKind[],
  builder: SchemaBuilder,
  project: Project | undefined,
  generatedBy: string,
  diagnostics: Diagnostics,
): CustomResourceDefinition {
  const first = versions[0];
  const kind = first.decl.name;
  const projectResource = project?.resources.find((r) => r.kind === kind && apiGroupOf(r) === first.group);
  const entries = versions.map(versionEntry);
  settleStorage(versions, entries, diagnostics);
  versions.forEach((v, i) => (entries[i].schema = { openAPIV3Schema: rootSchema(v, builder, diagnostics) }));
  const crd: CustomResourceDefinition = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: '', annotations: {} },
    spec: {
      group: first.group,
      names: {
        kind,
        listKind: `${kind}List`,
        plural: projectResource?.plural ?? pluralOf(kind),
        singular: singularOf(kind),
      },
      scope: projectResource?.namespaced === false ? 'Cluster' : 'Namespaced',
      versions: entries,
    },
  };
  const conversion = project?.resources.some(
    (r) => r.kind === kind && apiGroupOf(r) === first.group && r.webhooks?.conversion,
  );
  if (conversion) {
    crd.spec.conversion = {
      strategy: 'Webhook',
      webhook: {
        clientConfig: { service: { name: 'webhook-service', namespace: 'system', path: '/convert' } },
        conversionReviewVersions: ['v1'],
      },
    };
  }
  const applied = new Set<MarkerName>();
  for (const version of versions) {
    for (const [name, markers] of version.markers) {
      if (!markers[0].definition.applyToCrd || applied.has(name)) continue;
      applied.add(name);
      markers[0].definition.applyToCrd(crd, markers, diagnostics);
    }
  }
  crd.metadata.name = `${crd.spec.names.plural}.${first.group}`;
  crd.metadata.annotations['kubeforge.io/generated-by'] = generatedBy;
  return crd;
}

/**
 * The versions of one group and kind; a version declared twice (two folders given one name by
 * +versionName; two files of one folder are refused when read) is reported, and the first kept.
 */
function groupVersions(roots: RootKind[], diagnostics: Diagnostics): RootKind[][] {
  const byKind = new Map<string, RootKind[]>();
  for (const root of roots) {
    const key = `${root.group}/${root.decl.name}`;
    const versions = byKind.get(key) ?? [];
    const twin = versions.find((other) => other.version === root.version);
    if (!twin) byKind.set(key, [...versions, root]);
    else if (twin.file.version !== root.file.version) {
      diagnostics.error(
        root.decl.loc,
        `${root.decl.name} ${root.group}/${root.version} is also declared at ${diagnostics.where(twin.decl.loc)} (api/${root.file.version} and api/${twin.file.version} are both version ${root.version}): a kind has one root type per version; remove one or change +versionName`,
      );
    }
  }
  return [...byKind.values()];
}

/** Two CRDs of one group must not claim one name: the apiserver would serve only one of them. */
function checkNames(crds: { crd: CustomResourceDefinition; root: RootKind }[], diagnostics: Diagnostics): void {
  crds.forEach(({ crd, root }, i) => {
    for (const { crd: other, root: otherRoot } of crds.slice(0, i)) {
      if (other.spec.group !== crd.spec.group) continue;
      const shared = sharedResourceName(crd.spec.names, other.spec.names);
      if (!shared) continue;
      const caseOnly =
        crd.spec.names.kind.toLowerCase() === other.spec.names.kind.toLowerCase()
          ? '; the kinds differ only in case, but resource names are lower-case'
          : '';
      const sameFile =
        crd.spec.names.plural === other.spec.names.plural
          ? ` and both would be written to config/crd/bases/${crd.spec.group}_${crd.spec.names.plural}.yaml`
          : '';
      diagnostics.error(
        root.decl.loc,
        `kind ${crd.spec.names.kind} and kind ${other.spec.names.kind} (${diagnostics.where(otherRoot.decl.loc)}) of group ${crd.spec.group} both claim ${shared}${caseOnly}: the apiserver would serve only one of them${sameFile}; rename a kind, or give it other names with +kubebuilder:resource:path=<plural>,singular=<singular>,shortName=<short> (or its plural in PROJECT)`,
      );
      return;
    }
  });
}

/** Builds one CRD per group and kind. */
export function buildCrds(
  roots: RootKind[],
  builder: SchemaBuilder,
  project: Project | undefined,
  generatedBy: string,
  diagnostics: Diagnostics,
): CustomResourceDefinition[] {
  const served = roots.filter((root) => {
    for (const markers of root.markers.values()) markers[0].definition.checkRoot?.(markers, diagnostics);
    return !root.markers.has('kubebuilder:skipversion');
  });
  const crds = groupVersions(served, diagnostics).map((versions) => {
    const sorted = versions.sort((a, b) => a.version.localeCompare(b.version));
    return { crd: buildCrd(sorted, builder, project, generatedBy, diagnostics), root: sorted[0] };
  });
  checkNames(crds, diagnostics);
  return crds.map(({ crd }) => crd).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}
