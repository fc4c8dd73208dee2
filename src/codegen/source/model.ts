/**
 * What the parser hands to the schema pass: declarations and type expressions as plain data, so
 * every later pass is independent of ts-morph and testable on its own.
 */
import type { SourceLocation } from '../diagnostics.js';
import type { Marker } from '../markers/index.js';

export type TypeExpr =
  | {
      kind: 'keyword';
      name: 'string' | 'number' | 'boolean' | 'unknown' | 'any' | 'object' | 'null' | 'undefined';
      loc: SourceLocation;
    }
  | { kind: 'literal'; value: string | number | boolean; loc: SourceLocation }
  | { kind: 'ref'; name: string; args: TypeExpr[]; loc: SourceLocation }
  /** `T[]`; a homogeneous tuple (`[int32, int32, int32]`) is an array with its `length`. */
  | { kind: 'array'; element: TypeExpr; length?: number; loc: SourceLocation }
  | { kind: 'union'; members: TypeExpr[]; loc: SourceLocation }
  | {
      kind: 'intersection';
      members: TypeExpr[];
      loc: SourceLocation;
      /** An interface with `extends`: the last member is its own body, whose fields override the bases'. */
      interfaceBody?: true;
    }
  | { kind: 'object'; fields: FieldDecl[]; index?: TypeExpr; loc: SourceLocation }
  | { kind: 'unsupported'; text: string; loc: SourceLocation };

export interface FieldDecl {
  name: string;
  optional: boolean;
  type: TypeExpr;
  doc: string;
  markers: Marker[];
  loc: SourceLocation;
}

export interface TypeDecl {
  name: string;
  /** An interface is an `object` (with `extends` as an intersection); an alias is its type. */
  type: TypeExpr;
  doc: string;
  markers: Marker[];
  loc: SourceLocation;
}

/** Where an imported name comes from. */
export interface ImportedName {
  module: string;
  name: string;
}

export interface ApiFile {
  path: string;
  /** `api/<version>` folder name: the API version of the kinds declared here. */
  version: string;
  decls: Map<string, TypeDecl>;
  imports: Map<string, ImportedName>;
  /** Package-level markers (`+groupName`, …) found anywhere in the file. */
  packageMarkers: Marker[];
}
