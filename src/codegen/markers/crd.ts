/**
 * CRD markers on the root type of a kind (`+kubebuilder:object:root=true`): names and scope,
 * subresources, printer columns, storage/served/deprecated flags, selectable fields and metadata;
 * and the package markers of an `api/<version>` folder (`+groupName`, `+versionName`,
 * `+kubebuilder:skip`). `object:root` and `skipversion` decide which versions exist at all, so
 * `crd.ts` reads those two by name.
 */
import { checkDnsLabel, checkDnsSubdomain, checkVersion } from '../../project/index.js';
import type { Diagnostics, SourceLocation } from '../diagnostics.js';
import type { MarkerSpec, ParsedMarker } from './definition.js';
import { show } from './syntax.js';

const ROOT = ['root'] as const;
const PRINTER_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];
const PRINTER_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'password'];

/** Resource names (plural, singular, short names, categories): DNS-1035 labels, as the apiserver requires. */
function checkResourceName(name: string): string | undefined {
  const broken = checkDnsLabel(name);
  if (broken) return broken;
  return /^[a-z]/.test(name) ? undefined : 'must start with a letter (a DNS-1035 label)';
}

/** The API group: a DNS-1123 subdomain with at least one dot. */
function checkGroupName(group: string): string | undefined {
  return checkDnsSubdomain(group) ?? (group.includes('.') ? undefined : 'must be a domain with at least one dot');
}

/** A root marker that takes one value: a second one on the same kind is an error, not an override. */
function once(spec: MarkerSpec): MarkerSpec {
  return {
    ...spec,
    checkRoot(markers, diagnostics) {
      for (const repeat of markers.slice(1))
        diagnostics.error(
          repeat.loc,
          `+${repeat.definition.name} is repeated on this kind (first at line ${markers[0].loc.line}): keep one`,
        );
      spec.checkRoot?.(markers.slice(0, 1), diagnostics);
    },
  };
}

/** A `.spec.…`-style path of the scale subresource, under one of `roots`. */
function checkScalePath(marker: ParsedMarker, key: string, roots: string[], diagnostics: Diagnostics): void {
  const path = marker.fields[key] as string | undefined;
  if (path !== undefined && !roots.some((root) => path.startsWith(`${root}.`) && path.length > root.length + 1))
    diagnostics.error(
      marker.loc,
      `+kubebuilder:subresource:scale ${key}=${show(path)} is not a path under ${roots.join(' or ')}: write it like ${roots[0]}.replicas`,
    );
}

/** A package marker that takes one value: all files of the folder must agree on it. */
function packageValue(
  key: 'groupName' | 'versionName',
  check: (value: string) => string | undefined,
  what: string,
): MarkerSpec {
  return {
    targets: ['package'],
    value: 'string',
    applyToPackage(settings, marker, diagnostics) {
      const value = marker.value as string;
      const broken = check(value);
      if (broken) diagnostics.error(marker.loc, `+${key}=${show(value)} is not a valid ${what}: it ${broken}`);
      else if (settings[key] !== undefined && settings[key] !== value)
        diagnostics.error(
          marker.loc,
          `+${key}=${show(value)} contradicts +${key}=${show(settings[key])} in another file of this folder: give every file the same ${what}`,
        );
      else settings[key] = value;
    },
  };
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why `key` is no label or annotation key (`[prefix/]name`, the prefix a DNS subdomain), if it is not. */
function checkKey(key: string): string | undefined {
  const [prefix, name] = key.includes('/')
    ? [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)]
    : ['', key];
  if (prefix && checkDnsSubdomain(prefix)) return `its prefix ${JSON.stringify(prefix)} ${checkDnsSubdomain(prefix)}`;
  if (name.length > 63 || !QUALIFIED_NAME.test(name))
    return 'must be a name of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

function keyValues(list: unknown, loc: SourceLocation, kind: 'labels' | 'annotations', diagnostics: Diagnostics) {
  const out: Record<string, string> = {};
  for (const item of (list as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    const [key, value] = [item.slice(0, eq), item.slice(eq + 1)];
    const brokenValue =
      kind === 'labels' && (value.length > 63 || (value !== '' && !QUALIFIED_NAME.test(value)))
        ? 'a label value is at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit'
        : undefined;
    const broken = eq <= 0 ? 'write key=value' : checkKey(key) ? `the key ${checkKey(key)}` : brokenValue;
    if (broken)
      diagnostics.error(loc, `+kubebuilder:metadata ${kind} entry ${JSON.stringify(item)} is not valid: ${broken}`);
    else out[key] = value;
  }
  return out;
}

export const CRD_MARKERS = {
  'kubebuilder:object:root': { targets: ['type'], value: 'bool' },
  'kubebuilder:object:generate': { targets: ['type', 'package'], value: 'bool', ignored: true },
  'kubebuilder:subresource:status': once({
    targets: ROOT,
    applyToVersion(version) {
      version.subresources = { ...version.subresources, status: {} };
    },
  }),
  'kubebuilder:subresource:scale': once({
    targets: ROOT,
    fields: { specpath: ['string', true], statuspath: ['string', true], selectorpath: ['string'] },
    checkRoot([scale], diagnostics) {
      checkScalePath(scale, 'specpath', ['.spec'], diagnostics);
      checkScalePath(scale, 'statuspath', ['.status'], diagnostics);
      checkScalePath(scale, 'selectorpath', ['.spec', '.status'], diagnostics);
    },
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
  }),
  'kubebuilder:resource': once({
    targets: ROOT,
    fields: {
      path: ['string'],
      scope: ['string'],
      shortName: ['stringList'],
      categories: ['stringList'],
      singular: ['string'],
    },
    checkRoot([resource], diagnostics) {
      const { scope, path, singular, shortName, categories } = resource.fields;
      if (scope !== undefined && scope !== 'Namespaced' && scope !== 'Cluster') {
        diagnostics.error(
          resource.loc,
          `+kubebuilder:resource scope=${show(scope)} is not valid; use Namespaced or Cluster`,
        );
      }
      const names: [string, unknown][] = [
        ['path', path],
        ['singular', singular],
        ...((shortName as string[] | undefined) ?? []).map((n): [string, unknown] => ['shortName', n]),
        ...((categories as string[] | undefined) ?? []).map((n): [string, unknown] => ['categories', n]),
      ];
      for (const [key, name] of names) {
        const broken = name === undefined ? undefined : checkResourceName(name as string);
        if (broken)
          diagnostics.error(
            resource.loc,
            `+kubebuilder:resource ${key}=${show(name)} is not a valid resource name: it ${broken} (lower-case, like "guestbooks")`,
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
  }),
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
    repeatable: true,
    checkRoot(columns, diagnostics) {
      for (const { fields, loc } of columns) {
        const problem = !PRINTER_TYPES.includes(fields.type as string)
          ? `type=${show(fields.type)} is not valid; use one of ${PRINTER_TYPES.join(', ')}`
          : fields.format !== undefined && !PRINTER_FORMATS.includes(fields.format as string)
            ? `format=${show(fields.format)} is not valid; use one of ${PRINTER_FORMATS.join(', ')}`
            : !String(fields.JSONPath).startsWith('.')
              ? `JSONPath=${show(fields.JSONPath)} is not a simple JSON path: start it with "." (.spec.replicas)`
              : String(fields.name).trim() === ''
                ? 'has an empty name: name the column'
                : (fields.priority as number) < 0
                  ? `priority=${show(fields.priority)} is negative: use 0 (shown) or more (-o wide)`
                  : undefined;
        if (problem) diagnostics.error(loc, `+kubebuilder:printcolumn ${problem}`);
      }
    },
    applyToVersion(version, columns) {
      version.additionalPrinterColumns = columns.map(({ fields }) => {
        const { JSONPath, ...rest } = fields;
        return { ...rest, jsonPath: JSONPath };
      });
    },
  },
  'kubebuilder:storageversion': once({
    targets: ROOT,
    applyToVersion(version) {
      version.storage = true;
    },
  }),
  'kubebuilder:unservedversion': once({
    targets: ROOT,
    applyToVersion(version) {
      version.served = false;
    },
  }),
  'kubebuilder:skipversion': once({ targets: ROOT }),
  'kubebuilder:deprecatedversion': once({
    targets: ROOT,
    fields: { warning: ['string'] },
    checkRoot([{ fields, loc }], diagnostics) {
      const warning = fields.warning as string | undefined;
      if (warning !== undefined && (warning === '' || warning.length > 256 || /\p{Cc}/u.test(warning)))
        diagnostics.error(
          loc,
          '+kubebuilder:deprecatedversion warning= must be 1 to 256 printable characters on one line: shorten it or leave it out',
        );
    },
    applyToVersion(version, [{ fields }]) {
      version.deprecated = true;
      if (fields.warning !== undefined) version.deprecationWarning = fields.warning as string;
    },
  }),
  'kubebuilder:metadata': once({
    targets: ROOT,
    fields: { annotations: ['stringList'], labels: ['stringList'] },
    applyToCrd({ metadata }, [{ fields, loc }], diagnostics) {
      const labels = keyValues(fields.labels, loc, 'labels', diagnostics);
      Object.assign(metadata.annotations, keyValues(fields.annotations, loc, 'annotations', diagnostics));
      if (Object.keys(labels).length > 0) metadata.labels = labels;
    },
  }),
  'kubebuilder:selectablefield': {
    targets: ROOT,
    fields: { JSONPath: ['string', true] },
    repeatable: true,
    checkRoot(markers, diagnostics) {
      for (const { fields, loc } of markers) {
        const path = String(fields.JSONPath);
        if (!/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path) || path.startsWith('.metadata.'))
          diagnostics.error(
            loc,
            `+kubebuilder:selectablefield JSONPath=${show(path)} is not a field path outside metadata: write it like .spec.color`,
          );
      }
    },
    applyToVersion(version, markers) {
      version.selectableFields = markers.map((m) => ({ jsonPath: m.fields.JSONPath as string }));
    },
  },
  groupName: packageValue('groupName', checkGroupName, 'API group'),
  versionName: packageValue('versionName', checkVersion, 'version'),
  'kubebuilder:skip': {
    targets: ['package'],
    applyToPackage(settings) {
      settings.skip = true;
    },
  },
} satisfies Record<string, MarkerSpec>;
