/**
 * What one marker is: where it may sit, the type of its value, and its effects. Each marker is one
 * object of this shape in its family's file (`validation.ts`, `schema.ts`, `crd.ts`, `rbac.ts`,
 * `webhook.ts`); the passes that build schemas, CRDs, RBAC and webhooks call these hooks (on the
 * shapes of `effects.ts`) instead of knowing marker names, so a marker's syntax, checks and
 * effects live in one place.
 */
import type { Diagnostics, SourceLocation } from '../diagnostics.js';
import type { JSONSchemaProps } from '../json-schema.js';
import type { CrdDraft, CrdVersion, PackageSettings, RbacRoles, WebhookSet } from './effects.js';

/** Where a marker may sit: a package (file), any type, a field, the root type of a kind, or anywhere. */
export type MarkerTarget = 'package' | 'type' | 'field' | 'root' | 'anywhere';
/** `json`: strict JSON, except `ref(…)` (a Go constant), which reads as no value. */
export type ValueType = 'string' | 'int' | 'number' | 'bool' | 'any' | 'json' | 'stringList' | 'anyList';
/** The kind of schema a marker needs to sit on (`Minimum` a numeric one, `MinItems` an array). */
export type SchemaKind = 'numeric' | 'string' | 'array' | 'object';

export interface SchemaContext {
  /** The field or type the schema belongs to, for messages. */
  subject: string;
  diagnostics: Diagnostics;
}

export interface MarkerSpec {
  targets: readonly MarkerTarget[];
  /** The type of `+name=value`; absent for flags and for markers with named fields. */
  value?: ValueType;
  /** Named arguments of `+name:key=value,…`; `true` marks a required one. */
  fields?: Record<string, [ValueType, boolean?]>;
  /** `kubebuilder:validation:items:<Name>` applies the marker to the elements of an array. */
  hasItemsVariant?: boolean;
  /** Recognised but without effect on manifests (other generators' markers). */
  ignored?: boolean;
  /** May appear more than once on one field, type or root (a list: rules, columns, grants); else twice is an error. */
  repeatable?: boolean;
  /** Schema effects run in ascending order (default 2), so later ones see what earlier ones did. */
  schemaOrder?: number;
  /** The schema must be of this kind, else the marker is an error and has no effect. */
  needs?: SchemaKind;
  /** Its effect on the schema of the field or type it sits on. */
  applyToSchema?(schema: JSONSchemaProps, marker: ParsedMarker, context: SchemaContext): void;
  /** Checks the field it sits on (before its schema is built). */
  checkField?(field: { name: string; optional: boolean }, marker: ParsedMarker, diagnostics: Diagnostics): void;
  /** Its effect as a package marker of an `api/<version>` folder. */
  applyToPackage?(settings: PackageSettings, marker: ParsedMarker, diagnostics: Diagnostics): void;
  /** Checks its values on a root kind (every version, skipped ones too); `markers` are all of this name there. */
  checkRoot?(markers: ParsedMarker[], diagnostics: Diagnostics): void;
  /** Its effect on the `spec.versions` entry of the root kind it sits on. */
  applyToVersion?(version: CrdVersion, markers: ParsedMarker[]): void;
  /** Its effect on the whole CRD, from the first version (by name) that carries it. */
  applyToCrd?(crd: CrdDraft, markers: ParsedMarker[], diagnostics: Diagnostics): void;
  /** The grant it adds to the manager's roles. */
  applyToRbac?(roles: RbacRoles, marker: ParsedMarker, diagnostics: Diagnostics): void;
  /** The entry it adds to the webhook configurations. */
  applyToWebhooks?(webhooks: WebhookSet, marker: ParsedMarker, diagnostics: Diagnostics): void;
}

/** A spec with the name it is parsed under (`…:items:<Name>` for an items variant). */
export interface MarkerDefinition extends MarkerSpec {
  name: string;
}

/** A marker read from a comment; the registry's `Marker` is one whose name is a `MarkerName`. */
export interface ParsedMarker<Name extends string = string> {
  /** The definition's name; `items:` variants keep the base name and set `items`. */
  name: Name;
  items: boolean;
  value: unknown;
  fields: Record<string, unknown>;
  loc: SourceLocation;
  definition: MarkerDefinition;
}
