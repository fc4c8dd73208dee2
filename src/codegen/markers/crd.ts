/**
 * CRD markers on the root type of a kind (`+kubebuilder:object:root=true`): names and scope,
 * subresources, printer columns, storage/served/deprecated flags, selectable fields and metadata;
 * and the package markers of an `api/<version>` folder (`+groupName`, `+versionName`,
 * `+kubebuilder:skip`). `object:root` and `skipversion` decide which versions exist at all, so
 * `crd.ts` reads those two by name.
 */
import type { Diagnostics, SourceLocation } from '../diagnostics.js';
import type { MarkerSpec } from './definition.js';

const ROOT = ['root'] as const;
const PRINTER_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];

function keyValues(list: unknown, loc: SourceLocation, diagnostics: Diagnostics): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) diagnostics.error(loc, `+kubebuilder:metadata expects key=value pairs, got "${item}"`);
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export const CRD_MARKERS = {
  'kubebuilder:object:root': { targets: ['type'], value: 'bool' },
  'kubebuilder:object:generate': { targets: ['type', 'package'], value: 'bool', ignored: true },
  'kubebuilder:subresource:status': {
    targets: ROOT,
    applyToVersion(version) {
      version.subresources = { ...version.subresources, status: {} };
    },
  },
  'kubebuilder:subresource:scale': {
    targets: ROOT,
    fields: { specpath: ['string', true], statuspath: ['string', true], selectorpath: ['string'] },
    applyToVersion(version, [scale]) {
      version.subresources = {
        ...version.subresources,
        scale: {
          specReplicasPath: scale.fields.specpath as string,
          statusReplicasPath: scale.fields.statuspath as string,
          labelSelectorPath: scale.fields.selectorpath as string | undefined,
        },
      };
    },
  },
  'kubebuilder:resource': {
    targets: ROOT,
    fields: {
      path: ['string'],
      scope: ['string'],
      shortName: ['stringList'],
      categories: ['stringList'],
      singular: ['string'],
    },
    checkRoot([resource], diagnostics) {
      const scope = resource.fields.scope;
      if (scope !== undefined && scope !== 'Namespaced' && scope !== 'Cluster') {
        diagnostics.error(
          resource.loc,
          `+kubebuilder:resource scope=${String(scope)} is not valid; use Namespaced or Cluster`,
        );
      }
    },
    applyToCrd({ spec }, [{ fields }]) {
      if (fields.path !== undefined) spec.names.plural = fields.path as string;
      if (fields.scope !== undefined) spec.scope = fields.scope as string;
      if (fields.singular !== undefined) spec.names.singular = fields.singular as string;
      if (fields.shortName) spec.names.shortNames = fields.shortName as string[];
      if (fields.categories) spec.names.categories = fields.categories as string[];
    },
  },
  'kubebuilder:printcolumn': {
    targets: ROOT,
    fields: {
      name: ['string', true],
      type: ['string', true],
      JSONPath: ['string', true],
      description: ['string'],
      format: ['string'],
      priority: ['int'],
    },
    checkRoot(columns, diagnostics) {
      for (const column of columns) {
        if (!PRINTER_TYPES.includes(column.fields.type as string)) {
          diagnostics.error(
            column.loc,
            `+kubebuilder:printcolumn type=${String(column.fields.type)} is not valid; use one of ${PRINTER_TYPES.join(', ')}`,
          );
        }
      }
    },
    applyToVersion(version, columns) {
      version.additionalPrinterColumns = columns.map(({ fields }) => {
        const { JSONPath, ...rest } = fields;
        return { ...rest, jsonPath: JSONPath };
      });
    },
  },
  'kubebuilder:storageversion': {
    targets: ROOT,
    applyToVersion(version) {
      version.storage = true;
    },
  },
  'kubebuilder:unservedversion': {
    targets: ROOT,
    applyToVersion(version) {
      version.served = false;
    },
  },
  'kubebuilder:skipversion': { targets: ROOT },
  'kubebuilder:deprecatedversion': {
    targets: ROOT,
    fields: { warning: ['string'] },
    applyToVersion(version, [{ fields }]) {
      version.deprecated = true;
      if (fields.warning !== undefined) version.deprecationWarning = fields.warning as string;
    },
  },
  'kubebuilder:metadata': {
    targets: ROOT,
    fields: { annotations: ['stringList'], labels: ['stringList'] },
    applyToCrd({ metadata }, [{ fields, loc }], diagnostics) {
      const labels = keyValues(fields.labels, loc, diagnostics);
      Object.assign(metadata.annotations, keyValues(fields.annotations, loc, diagnostics));
      if (Object.keys(labels).length > 0) metadata.labels = labels;
    },
  },
  'kubebuilder:selectablefield': {
    targets: ROOT,
    fields: { JSONPath: ['string', true] },
    applyToVersion(version, markers) {
      version.selectableFields = markers.map((m) => ({ jsonPath: m.fields.JSONPath as string }));
    },
  },
  groupName: {
    targets: ['package'],
    value: 'string',
    applyToPackage(settings, marker) {
      settings.groupName = marker.value as string;
    },
  },
  versionName: {
    targets: ['package'],
    value: 'string',
    applyToPackage(settings, marker) {
      settings.versionName = marker.value as string;
    },
  },
  'kubebuilder:skip': {
    targets: ['package'],
    applyToPackage(settings) {
      settings.skip = true;
    },
  },
} satisfies Record<string, MarkerSpec>;
