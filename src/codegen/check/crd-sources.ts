/**
 * Where a CRD the run generated comes from: an apiserver error's field path
 * (`spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].default`) walked back
 * through the TypeScript types — root kind, field, the field's type, its fields… — to the line of
 * the marker that put the offending keyword there (`+kubebuilder:default`, the
 * `+kubebuilder:validation:XValidation` with that rule, `+kubebuilder:validation:Minimum`…), else
 * of the field, else of the kind. Core types (`V1PodSpec`) are not TypeScript here: an error inside
 * one points at the field that embeds it.
 */
import type { CustomResourceDefinition } from '../crd.js';
import type { SourceLocation } from '../diagnostics.js';
import type { Marker } from '../markers/index.js';
import type { JSONSchemaProps, SchemaBuilder } from '../schema/index.js';
import type { ApiFile, TypeDecl, TypeExpr } from '../source/index.js';
import { parseCrdSchemaPath, versionIndexOf, type SchemaStep } from './crd-field-path.js';

/** A kind's root type in one version (what `findRootKinds` returns). */
export interface KindRoot {
  decl: TypeDecl;
  file: ApiFile;
  group: string;
  version: string;
}

/** Where the walk through the types stands: a type expression, the line that declares it, its markers. */
interface Position {
  type: TypeExpr;
  file: ApiFile;
  loc: SourceLocation;
  /** Markers of the field (or root type) itself; the markers of the declarations its type names come on top. */
  markers: Marker[];
}

/** A CRD version's list entries that come from root markers, by the marker that writes them. */
const VERSION_LIST_MARKERS: Record<string, string> = {
  additionalPrinterColumns: 'kubebuilder:printcolumn',
  selectableFields: 'kubebuilder:selectablefield',
};

const MAX_DEPTH = 64;

export class CrdSources {
  constructor(
    private readonly roots: readonly KindRoot[],
    private readonly builder: Pick<SchemaBuilder, 'resolveDecl'>,
    private readonly crds: readonly CustomResourceDefinition[],
  ) {}

  /** The source line behind an error on `field` of CRD `crdName`; undefined when the run did not generate that CRD. */
  locate(crdName: string, field: string): SourceLocation | undefined {
    const crd = this.crds.find((candidate) => candidate.metadata.name === crdName);
    if (!crd) return undefined;
    const schemaPath = parseCrdSchemaPath(field);
    const versionIndex = schemaPath ? schemaPath.versionIndex : versionIndexOf(field);
    const version = crd.spec.versions[versionIndex ?? storageIndex(crd)] as { name?: string; schema?: unknown };
    const root =
      this.roots.find((r) => sameVersion(r, crd, version.name) && r.decl.name === crd.spec.names.kind) ??
      this.roots.find((r) => sameVersion(r, crd, version.name));
    if (!root) return undefined;
    if (!schemaPath) return listMarker(root, field) ?? root.decl.loc;
    const at = this.walk(root, schemaPath.steps);
    const schema = (version.schema as { openAPIV3Schema?: JSONSchemaProps } | undefined)?.openAPIV3Schema;
    const node = schema && schemaAt(schema, schemaPath.steps);
    const marker = schemaPath.keyword ? markerFor(this.markersAt(at), schemaPath.keyword, node) : undefined;
    return marker?.loc ?? at.loc;
  }

  /** Follows the steps through the types as far as they are TypeScript declarations of this project. */
  private walk(root: KindRoot, steps: SchemaStep[]): Position {
    let at: Position = { type: root.decl.type, file: root.file, loc: root.decl.loc, markers: root.decl.markers };
    for (const step of steps) {
      const next = this.step(at, step);
      if (!next) break;
      at = next;
    }
    return at;
  }

  private step(at: Position, step: SchemaStep): Position | undefined {
    const shapes = this.shapes(at.type, at.file).shapes;
    if (typeof step === 'object') {
      for (const { type, file } of shapes) {
        const field = type.kind === 'object' ? type.fields.find((f) => f.name === step.property) : undefined;
        if (field) return { type: field.type, file, loc: field.loc, markers: field.markers };
      }
      return undefined;
    }
    for (const { type, file } of shapes) {
      const element = elementOf(type, step);
      // `items:` variants of the field's markers are the element's own.
      if (element) return { type: element, file, loc: at.loc, markers: at.markers.filter((m) => m.items) };
    }
    return undefined;
  }

  /** The type's non-alias shapes (objects, arrays, unresolved refs) and the declarations on the way. */
  private shapes(
    type: TypeExpr,
    file: ApiFile,
    depth = 0,
  ): { shapes: { type: TypeExpr; file: ApiFile }[]; decls: TypeDecl[] } {
    if (depth > MAX_DEPTH) return { shapes: [], decls: [] };
    if (type.kind === 'union' || type.kind === 'intersection') {
      const parts = type.members.map((member) => this.shapes(member, file, depth + 1));
      return { shapes: parts.flatMap((p) => p.shapes), decls: parts.flatMap((p) => p.decls) };
    }
    if (type.kind === 'ref') {
      const resolved = this.builder.resolveDecl(type.name, file);
      if (resolved) {
        const inner = this.shapes(resolved.decl.type, resolved.file, depth + 1);
        return { shapes: inner.shapes, decls: [resolved.decl, ...inner.decls] };
      }
    }
    return { shapes: [{ type, file }], decls: [] };
  }

  private markersAt(at: Position): Marker[] {
    return [...at.markers, ...this.shapes(at.type, at.file).decls.flatMap((decl) => decl.markers)];
  }
}

function sameVersion(root: KindRoot, crd: CustomResourceDefinition, version: string | undefined): boolean {
  return root.group === crd.spec.group && root.version === version;
}

/** The storage version's index: a schema error without a version is about the schema every version shares. */
function storageIndex(crd: CustomResourceDefinition): number {
  return Math.max(
    0,
    crd.spec.versions.findIndex((version) => version.storage === true),
  );
}

/** `spec.versions[0].additionalPrinterColumns[2]…` → the third `+kubebuilder:printcolumn` of the root. */
function listMarker(root: KindRoot, field: string): SourceLocation | undefined {
  const match = /^spec\.versions\[\d+\]\.(\w+)\[(\d+)\]/.exec(field);
  const name = match && VERSION_LIST_MARKERS[match[1]];
  return name ? root.decl.markers.filter((m) => m.name === name)[Number(match[2])]?.loc : undefined;
}

/** The element type of an array (`T[]`, `Array<T>`) or of a map (`Record<string, T>`, `{ [key: string]: T }`). */
function elementOf(type: TypeExpr, step: 'items' | 'additionalProperties'): TypeExpr | undefined {
  if (step === 'items') {
    if (type.kind === 'array') return type.element;
    if (type.kind === 'ref' && (type.name === 'Array' || type.name === 'ReadonlyArray')) return type.args[0];
    return undefined;
  }
  if (type.kind === 'ref' && type.name === 'Record') return type.args[1];
  return type.kind === 'object' ? type.index : undefined;
}

function schemaAt(schema: JSONSchemaProps, steps: SchemaStep[]): JSONSchemaProps | undefined {
  let node: JSONSchemaProps | undefined = schema;
  for (const step of steps) {
    if (!node) return undefined;
    if (typeof step === 'object') node = node.properties?.[step.property];
    else if (step === 'items') node = node.items;
    else node = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  }
  return node;
}

/**
 * The marker that wrote `keyword` (`default`, `x-kubernetes-validations[1]`, `minimum`): a rule by
 * its text, a default by either spelling, anything else by the marker name's last segment.
 */
function markerFor(markers: Marker[], keyword: string, node: JSONSchemaProps | undefined): Marker | undefined {
  const [, name, index] = /^([\w-]+)(?:\[(\d+)\])?$/.exec(keyword) ?? [];
  if (name === 'x-kubernetes-validations') {
    const rules = markers.filter((m) => m.name === 'kubebuilder:validation:XValidation');
    const rule = index === undefined ? undefined : node?.['x-kubernetes-validations']?.[Number(index)]?.rule;
    return rules.find((m) => m.fields.rule === rule) ?? rules[0];
  }
  if (name === 'default') return markers.find((m) => m.name === 'kubebuilder:default' || m.name === 'default');
  return markers.find((m) => m.name.split(':').pop()?.toLowerCase() === name?.toLowerCase());
}
