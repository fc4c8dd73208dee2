/**
 * Type expressions → schema IR. Named types are resolved by hand (same file, relative imports,
 * `kubeforge/api` scalars, `@kubernetes/client-node` core types); interfaces and aliases are
 * inlined with their type-level markers applied wherever they are used, as controller-gen does.
 */
import { dirname, resolve } from 'node:path';
import type { Diagnostics, SourceLocation } from '../diagnostics.js';
import { INT_OR_STRING, SCALARS, type JSONSchemaProps } from '../json-schema.js';
import { isSchemaless, type Marker } from '../markers/index.js';
import type { ApiFile, FieldDecl, TypeDecl, TypeExpr } from '../source/index.js';
import { applyMarkers, checkFieldMarkers } from './apply-markers.js';
import type { CoreSchemas } from './core-types.js';
import { applyMarkersToNamedType } from './named-type-markers.js';
import { checkFieldSchema } from './structural.js';
import { discriminatedUnion } from './unions.js';

const CLIENT_NODE = '@kubernetes/client-node';
const KUBEFORGE_API = 'kubeforge/api';

export interface ResolvedDecl {
  decl: TypeDecl;
  file: ApiFile;
}

export class SchemaBuilder {
  private readonly byPath = new Map<string, ApiFile>();
  private readonly declSchemas = new Map<string, JSONSchemaProps>();
  private readonly inProgress = new Set<string>();

  constructor(
    files: ApiFile[],
    private readonly core: CoreSchemas,
    private readonly diagnostics: Diagnostics,
  ) {
    for (const file of files) this.byPath.set(file.path, file);
  }

  /** The schema of a declaration with its type-level markers applied (memoised; returns a copy). */
  declSchema(resolved: ResolvedDecl): JSONSchemaProps {
    const key = `${resolved.file.path}#${resolved.decl.name}`;
    const cached = this.declSchemas.get(key);
    if (cached) return structuredClone(cached);
    if (this.inProgress.has(key)) {
      this.diagnostics.error(
        resolved.decl.loc,
        `${resolved.decl.name} refers to itself; recursive types cannot be expressed in a CRD schema`,
      );
      return {};
    }
    this.inProgress.add(key);
    const { decl, file } = resolved;
    const typeMarkers = decl.markers.filter((m) => m.definition.targets.includes('type'));
    const schema = this.markedSchema(decl, file, typeMarkers);
    this.inProgress.delete(key);
    this.declSchemas.set(key, schema);
    return structuredClone(schema);
  }

  /** The schema of a field: its type, its description, its markers; plus whether it is required. */
  fieldSchema(field: FieldDecl, file: ApiFile): JSONSchemaProps {
    for (const marker of field.markers) {
      if (!marker.definition.targets.includes('field')) {
        this.diagnostics.error(
          marker.loc,
          `+${marker.definition.name} cannot be used on a field (${targetsText(marker)})`,
        );
      }
    }
    checkFieldMarkers(field, this.diagnostics);
    const markers = field.markers.filter((m) => m.definition.targets.includes('field'));
    const errorsBefore = this.diagnostics.errors.length;
    const schema = this.markedSchema(field, file, markers);
    // A field whose type or markers already failed would only repeat the problem.
    if (this.diagnostics.errors.length === errorsBefore) checkFieldSchema(schema, field, markers, this.diagnostics);
    return schema;
  }

  /**
   * The schema of a field or declaration: its type's, its description, its markers. As
   * controller-gen, a Schemaless one's type is not looked at (it may be recursive, or a union no
   * schema can be): its markers alone make its schema.
   */
  private markedSchema(subject: FieldDecl | TypeDecl, file: ApiFile, markers: Marker[]): JSONSchemaProps {
    const description = subject.doc ? { description: subject.doc } : {};
    if (isSchemaless(markers)) {
      const schema: JSONSchemaProps = description;
      applyMarkers(schema, markers, subject.name, this.diagnostics);
      return schema;
    }
    const schema = { ...this.typeSchema(subject.type, file, markers), ...description };
    return this.withMarkers(schema, subject.type, file, markers, subject.name);
  }

  /**
   * `schema` (of `type`) with `markers` applied: over a named declaration (`Name`, `Name | null`)
   * as controller-gen flattens a `$ref` with the field's own keywords, else directly.
   */
  private withMarkers(
    schema: JSONSchemaProps,
    type: TypeExpr,
    file: ApiFile,
    markers: Marker[],
    subject: string,
  ): JSONSchemaProps {
    const members =
      type.kind === 'union'
        ? type.members.filter((m) => !(m.kind === 'keyword' && (m.name === 'null' || m.name === 'undefined')))
        : [type];
    const named = members.length === 1 && members[0].kind === 'ref' && this.resolveDecl(members[0].name, file);
    if (named) return applyMarkersToNamedType(schema, markers, subject, this.diagnostics);
    applyMarkers(schema, markers, subject, this.diagnostics);
    return schema;
  }

  /** Resolves a type name used in `file` to a local declaration, or undefined. */
  resolveDecl(name: string, file: ApiFile): ResolvedDecl | undefined {
    const local = file.decls.get(name);
    if (local) return { decl: local, file };
    const imported = file.imports.get(name);
    if (!imported || !imported.module.startsWith('.')) return undefined;
    const target = resolve(dirname(file.path), imported.module).replace(/\.js$/, '.ts');
    const other = this.byPath.get(target) ?? this.byPath.get(target.replace(/\.ts$/, '/index.ts'));
    const decl = other?.decls.get(imported.name);
    return other && decl ? { decl, file: other } : undefined;
  }

  typeSchema(type: TypeExpr, file: ApiFile, markers: Marker[] = []): JSONSchemaProps {
    switch (type.kind) {
      case 'keyword':
        return this.keywordSchema(type.name, type.loc);
      case 'literal':
        return { type: literalType(type.value), enum: [type.value] };
      case 'array': {
        const items = this.typeSchema(type.element, file);
        // A tuple: exactly `length` elements.
        const bounds = type.length === undefined ? {} : { maxItems: type.length, minItems: type.length };
        return { type: 'array', items, ...bounds };
      }
      case 'object':
        return this.objectSchema(type.fields, type.index, file, type.loc);
      case 'intersection':
        return this.intersectionSchema(type.members, file, type.loc);
      case 'union':
        return this.unionSchema(type.members, file, type.loc, markers);
      case 'ref':
        return this.refSchema(type, file);
      case 'unsupported':
        this.diagnostics.error(
          type.loc,
          `unsupported type "${type.text}" in an API type (use interfaces, type aliases, arrays, Record and string-literal unions)`,
        );
        return {};
    }
  }

  private keywordSchema(name: string, loc: SourceLocation): JSONSchemaProps {
    switch (name) {
      case 'string':
      case 'number':
      case 'boolean':
        return { type: name };
      case 'object':
        return { type: 'object' };
      case 'unknown':
      case 'any':
        return {};
      default:
        this.diagnostics.error(
          loc,
          `"${name}" is not allowed here; use "?" for optional fields and "| null" with a value type for nullable ones`,
        );
        return {};
    }
  }

  private objectSchema(
    fields: FieldDecl[],
    index: TypeExpr | undefined,
    file: ApiFile,
    loc: SourceLocation,
  ): JSONSchemaProps {
    const schema: JSONSchemaProps = { type: 'object' };
    if (fields.length > 0) {
      // Built from entries, not assigned: a field named __proto__ would set the prototype instead.
      schema.properties = Object.fromEntries(fields.map((field) => [field.name, this.fieldSchema(field, file)]));
      const required = fields.filter((f) => !f.optional).map((f) => f.name);
      if (required.length > 0) schema.required = required.sort();
    }
    // `[key: string]: unknown` is a free-form object: only +kubebuilder:pruning:PreserveUnknownFields gives it meaning.
    const freeForm = index?.kind === 'keyword' && (index.name === 'unknown' || index.name === 'any');
    if (index && !freeForm) {
      if (fields.length > 0)
        this.diagnostics.error(
          loc,
          'an object type cannot have both properties and an index signature in a CRD schema',
        );
      schema.additionalProperties = this.typeSchema(index, file);
    }
    return schema;
  }

  private intersectionSchema(members: TypeExpr[], file: ApiFile, loc: SourceLocation): JSONSchemaProps {
    const merged: JSONSchemaProps = { type: 'object' };
    for (const member of members) {
      const schema = this.typeSchema(member, file);
      if (schema.type !== 'object') {
        this.diagnostics.error(loc, 'only object types can be combined with "&" or "extends"');
        continue;
      }
      if (schema.properties) merged.properties = { ...merged.properties, ...schema.properties };
      if (schema.required) merged.required = [...new Set([...(merged.required ?? []), ...schema.required])].sort();
      if (schema['x-kubernetes-validations'])
        merged['x-kubernetes-validations'] = [
          ...(merged['x-kubernetes-validations'] ?? []),
          ...schema['x-kubernetes-validations'],
        ];
    }
    return merged;
  }

  private unionSchema(members: TypeExpr[], file: ApiFile, loc: SourceLocation, markers: Marker[]): JSONSchemaProps {
    const nullable = members.some((m) => m.kind === 'keyword' && m.name === 'null');
    const rest = members.filter((m) => !(m.kind === 'keyword' && (m.name === 'null' || m.name === 'undefined')));
    const withNull = (schema: JSONSchemaProps): JSONSchemaProps => (nullable ? { ...schema, nullable: true } : schema);
    if (rest.length === 1) return withNull(this.typeSchema(rest[0], file, markers));
    const literals = rest.filter((m): m is Extract<TypeExpr, { kind: 'literal' }> => m.kind === 'literal');
    if (literals.length === rest.length) {
      const types = new Set(literals.map((l) => literalType(l.value)));
      if (types.size === 1) return withNull({ type: [...types][0], enum: literals.map((l) => l.value) });
      this.diagnostics.error(loc, 'an enum union must use literals of one type (all strings or all numbers)');
      return {};
    }
    const keywords = rest.map((m) => (m.kind === 'keyword' ? m.name : m.kind === 'ref' ? m.name : '')).sort();
    if (keywords.join('|') === 'number|string') return withNull({ ...INT_OR_STRING });
    const schemas = rest.map((m) => this.typeSchema(m, file));
    if (schemas.every((s) => s.type === 'object')) return withNull(discriminatedUnion(schemas, loc, this.diagnostics));
    this.diagnostics.error(
      loc,
      'unsupported union: use a string-literal union (enum), "number | string" (int-or-string), or a discriminated union of object types',
    );
    return {};
  }

  private refSchema(type: Extract<TypeExpr, { kind: 'ref' }>, file: ApiFile): JSONSchemaProps {
    const [qualifier, member] = type.name.includes('.') ? type.name.split('.', 2) : [undefined, type.name];
    if (!qualifier) {
      const builtin = this.builtinSchema(type, file);
      if (builtin) return builtin;
      const resolved = this.resolveDecl(type.name, file);
      if (resolved) return this.declSchema(resolved);
    }
    const imported = file.imports.get(qualifier ?? type.name);
    const module = imported?.module;
    const importedName = qualifier ? member : (imported?.name ?? type.name);
    if (module === KUBEFORGE_API && SCALARS[importedName]) return { ...SCALARS[importedName] };
    if (module === CLIENT_NODE) {
      const core = this.core.expand(importedName);
      if (core) return core;
      this.diagnostics.error(
        type.loc,
        `${importedName} from ${CLIENT_NODE} has no schema in kubeforge's core type set (structural core types of the stable API groups are supported)`,
      );
      return {};
    }
    this.diagnostics.error(
      type.loc,
      `cannot resolve type "${type.name}": declare it as an interface or type alias under api/, or import it from ${KUBEFORGE_API} or ${CLIENT_NODE}`,
    );
    return {};
  }

  /** `string`, or a declaration whose schema is a plain string (`type Name = string`, with any string markers): a Go map key. */
  private isStringKey(key: TypeExpr | undefined, file: ApiFile): boolean {
    if (key?.kind === 'keyword') return key.name === 'string';
    const resolved = key?.kind === 'ref' ? this.resolveDecl(key.name, file) : undefined;
    if (!resolved) return false;
    const schema = this.declSchema(resolved);
    return schema.type === 'string' && schema.enum === undefined;
  }

  private builtinSchema(type: Extract<TypeExpr, { kind: 'ref' }>, file: ApiFile): JSONSchemaProps | undefined {
    if (file.decls.has(type.name) || file.imports.has(type.name)) return undefined;
    switch (type.name) {
      case 'Array':
      case 'ReadonlyArray':
        return { type: 'array', items: this.typeSchema(type.args[0], file) };
      case 'Record': {
        const key = type.args[0];
        if (!this.isStringKey(key, file))
          this.diagnostics.error(
            type.loc,
            'Record keys must be string or an alias of string (type Name = string); a union of literals would make every key required',
          );
        return { type: 'object', additionalProperties: this.typeSchema(type.args[1], file) };
      }
      case 'Date':
        this.diagnostics.error(
          type.loc,
          `Date is not supported in API types: use Time from '${KUBEFORGE_API}' (an RFC 3339 string)`,
        );
        return {};
      case 'Function':
      case 'Map':
      case 'Set':
      case 'Promise':
        this.diagnostics.error(type.loc, `${type.name} is not serialisable to JSON: API types may only use data types`);
        return {};
      default:
        return undefined;
    }
  }
}

function literalType(value: string | number | boolean): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function targetsText(marker: Marker): string {
  const targets = marker.definition.targets;
  if (targets.includes('root')) return 'it belongs on the root type of a kind, marked +kubebuilder:object:root=true';
  if (targets.includes('package')) return 'it belongs in api/<version>/groupversion.ts';
  return `it belongs on a ${targets.join(' or ')}`;
}
