/**
 * Predicates filter the events a controller reacts to. Each predicate answers per event type;
 * a missing answer means "let it through". Combine with `and`, `or`, `not`.
 */
import { labelMatcher } from '../cache/index.js';
import type { KubeObject } from '../types.js';

export interface Predicate<T extends KubeObject = KubeObject> {
  create?(object: T): boolean;
  update?(oldObject: T, newObject: T): boolean;
  delete?(object: T): boolean;
}

/** Runs a predicate's answer for one event (true when it has no opinion). */
export const admits = {
  create: <T extends KubeObject>(p: Predicate<T>, o: T) => p.create?.(o) ?? true,
  update: <T extends KubeObject>(p: Predicate<T>, a: T, b: T) => p.update?.(a, b) ?? true,
  delete: <T extends KubeObject>(p: Predicate<T>, o: T) => p.delete?.(o) ?? true,
};

function onUpdate<T extends KubeObject>(changed: (a: T, b: T) => boolean): Predicate<T> {
  return { update: changed };
}

function sameRecord(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const left = Object.entries(a ?? {});
  if (left.length !== Object.keys(b ?? {}).length) return false;
  return left.every(([key, value]) => b?.[key] === value);
}

/** Updates pass only when `metadata.generation` changed (spec edits; status and metadata edits do not). */
export function generationChanged<T extends KubeObject = KubeObject>(): Predicate<T> {
  return onUpdate((a, b) => a.metadata?.generation !== b.metadata?.generation);
}

/** Updates pass only when the labels changed. */
export function labelChanged<T extends KubeObject = KubeObject>(): Predicate<T> {
  return onUpdate((a, b) => !sameRecord(a.metadata?.labels, b.metadata?.labels));
}

/** Updates pass only when the annotations changed. */
export function annotationChanged<T extends KubeObject = KubeObject>(): Predicate<T> {
  return onUpdate((a, b) => !sameRecord(a.metadata?.annotations, b.metadata?.annotations));
}

/** Updates pass only when the resourceVersion changed (drops resync no-ops). */
export function resourceVersionChanged<T extends KubeObject = KubeObject>(): Predicate<T> {
  return onUpdate((a, b) => a.metadata?.resourceVersion !== b.metadata?.resourceVersion);
}

/** Events pass only for objects whose labels match (`'app=web,tier in (a,b),!legacy'` or a `matchLabels` map). */
export function labelSelector<T extends KubeObject = KubeObject>(
  selector: string | Record<string, string>,
): Predicate<T> {
  const matches = labelMatcher(selector);
  const match = (o: T) => matches(o.metadata?.labels);
  return { create: match, update: (_a, b) => match(b), delete: match };
}

/** Passes when every predicate passes. */
export function and<T extends KubeObject = KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => predicates.every((p) => admits.create(p, o)),
    update: (a, b) => predicates.every((p) => admits.update(p, a, b)),
    delete: (o) => predicates.every((p) => admits.delete(p, o)),
  };
}

/** Passes when any predicate passes. */
export function or<T extends KubeObject = KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => predicates.some((p) => admits.create(p, o)),
    update: (a, b) => predicates.some((p) => admits.update(p, a, b)),
    delete: (o) => predicates.some((p) => admits.delete(p, o)),
  };
}

/** Passes when `predicate` does not. */
export function not<T extends KubeObject = KubeObject>(predicate: Predicate<T>): Predicate<T> {
  return {
    create: (o) => !admits.create(predicate, o),
    update: (a, b) => !admits.update(predicate, a, b),
    delete: (o) => !admits.delete(predicate, o),
  };
}
