/**
 * When two declarations of one field are the same: the checks that refuse conflicting duplicates
 * (merged interfaces, members of an intersection) compare type expressions structurally, ignoring
 * where they are written. A reference is compared by what it names, which the caller decides
 * (a name within one file, or the declaration it resolves to across files).
 */
import type { Marker } from '../markers/index.js';
import type { FieldDecl, TypeExpr } from './model.js';

type Ref = Extract<TypeExpr, { kind: 'ref' }>;

/** What a reference names, for comparison: equal keys mean the same type. */
export type RefKey = (ref: Ref) => string;

function sameList(a: TypeExpr[], b: TypeExpr[], keyA: RefKey, keyB: RefKey): boolean {
  return a.length === b.length && a.every((member, i) => sameType(member, b[i], keyA, keyB));
}

/** Members of a union in any order: `'a' | 'b'` is `'b' | 'a'`. */
function sameMembers(a: TypeExpr[], b: TypeExpr[], keyA: RefKey, keyB: RefKey): boolean {
  return (
    a.length === b.length &&
    a.every((member) => b.some((other) => sameType(member, other, keyA, keyB))) &&
    b.every((member) => a.some((other) => sameType(other, member, keyA, keyB)))
  );
}

export function sameType(a: TypeExpr, b: TypeExpr, keyA: RefKey, keyB: RefKey): boolean {
  switch (a.kind) {
    case 'keyword':
      return b.kind === 'keyword' && a.name === b.name;
    case 'literal':
      return b.kind === 'literal' && a.value === b.value;
    case 'array':
      return b.kind === 'array' && a.length === b.length && sameType(a.element, b.element, keyA, keyB);
    case 'union':
      return b.kind === 'union' && sameMembers(a.members, b.members, keyA, keyB);
    case 'intersection':
      return b.kind === 'intersection' && sameList(a.members, b.members, keyA, keyB);
    case 'ref':
      return b.kind === 'ref' && keyA(a) === keyB(b) && sameList(a.args, b.args, keyA, keyB);
    case 'unsupported':
      return b.kind === 'unsupported' && a.text === b.text;
    case 'object':
      return (
        b.kind === 'object' &&
        a.fields.length === b.fields.length &&
        a.fields.every((field) => {
          const other = b.fields.find((f) => f.name === field.name);
          return (
            other !== undefined &&
            other.optional === field.optional &&
            fieldDifference(field, other, keyA, keyB) === undefined
          );
        }) &&
        (a.index === undefined
          ? b.index === undefined
          : b.index !== undefined && sameType(a.index, b.index, keyA, keyB))
      );
  }
}

const markerKey = (marker: Marker) => JSON.stringify([marker.name, marker.items, marker.value, marker.fields]);

function sameMarkers(a: Marker[], b: Marker[]): boolean {
  const keys = (markers: Marker[]) => markers.map(markerKey).sort().join('\n');
  return keys(a) === keys(b);
}

/**
 * How two declarations of one field differ (`types string and number`, `markers`, `descriptions`),
 * or undefined when they have the same type, markers and description.
 */
export function fieldDifference(a: FieldDecl, b: FieldDecl, keyA: RefKey, keyB: RefKey): string | undefined {
  if (!sameType(a.type, b.type, keyA, keyB)) return `types ${typeText(a.type)} and ${typeText(b.type)}`;
  if (!sameMarkers(a.markers, b.markers)) return 'markers';
  if (a.doc !== b.doc) return 'descriptions';
  return undefined;
}

/** A short rendering of a type for messages (nested object types as `{…}`). */
export function typeText(type: TypeExpr): string {
  switch (type.kind) {
    case 'keyword':
      return type.name;
    case 'literal':
      return JSON.stringify(type.value);
    case 'array':
      return type.length === undefined
        ? `${typeText(type.element)}[]`
        : `[${Array<string>(type.length).fill(typeText(type.element)).join(', ')}]`;
    case 'union':
      return type.members.map(typeText).join(' | ');
    case 'intersection':
      return type.members.map(typeText).join(' & ');
    case 'ref':
      return type.args.length > 0 ? `${type.name}<${type.args.map(typeText).join(', ')}>` : type.name;
    case 'object':
      return '{…}';
    case 'unsupported':
      return type.text;
  }
}
