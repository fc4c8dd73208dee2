import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import {
  admits,
  and,
  annotationChanged,
  generationChanged,
  labelChanged,
  labelSelector,
  not,
  or,
  resourceVersionChanged,
} from './predicates.js';

const obj = (meta: Record<string, unknown>): KubeObject => ({ metadata: { name: 'x', ...meta } });

describe('predicates', () => {
  it('generationChanged lets spec edits through and drops status-only updates', () => {
    const p = generationChanged();
    expect(admits.update(p, obj({ generation: 1 }), obj({ generation: 2 }))).toBe(true);
    expect(
      admits.update(p, obj({ generation: 2, resourceVersion: '1' }), obj({ generation: 2, resourceVersion: '2' })),
    ).toBe(false);
    expect(admits.create(p, obj({}))).toBe(true);
    expect(admits.delete(p, obj({}))).toBe(true);
  });

  it('labelChanged and annotationChanged compare the maps by content', () => {
    expect(admits.update(labelChanged(), obj({ labels: { a: '1' } }), obj({ labels: { a: '1' } }))).toBe(false);
    expect(admits.update(labelChanged(), obj({ labels: { a: '1' } }), obj({ labels: { a: '2' } }))).toBe(true);
    expect(admits.update(labelChanged(), obj({}), obj({ labels: { a: '1' } }))).toBe(true);
    expect(admits.update(annotationChanged(), obj({ annotations: { n: 'x' } }), obj({}))).toBe(true);
    expect(admits.update(annotationChanged(), obj({}), obj({ annotations: {} }))).toBe(false);
  });

  it('resourceVersionChanged drops resyncs of the same version', () => {
    expect(admits.update(resourceVersionChanged(), obj({ resourceVersion: '5' }), obj({ resourceVersion: '5' }))).toBe(
      false,
    );
    expect(admits.update(resourceVersionChanged(), obj({ resourceVersion: '5' }), obj({ resourceVersion: '6' }))).toBe(
      true,
    );
  });

  it('labelSelector filters every event type by the new object labels', () => {
    const p = labelSelector('app=web,tier in (front, back),!legacy');
    expect(admits.create(p, obj({ labels: { app: 'web', tier: 'front' } }))).toBe(true);
    expect(admits.create(p, obj({ labels: { app: 'web', tier: 'front', legacy: '' } }))).toBe(false);
    expect(admits.update(p, obj({}), obj({ labels: { app: 'web', tier: 'db' } }))).toBe(false);
    expect(admits.delete(p, obj({ labels: { app: 'api', tier: 'back' } }))).toBe(false);
  });

  it('and, or and not combine answers per event type', () => {
    const gen = generationChanged();
    const lab = labelChanged();
    const a = obj({ generation: 1, labels: { x: '1' } });
    const b = obj({ generation: 1, labels: { x: '2' } });
    expect(admits.update(and(gen, lab), a, b)).toBe(false);
    expect(admits.update(or(gen, lab), a, b)).toBe(true);
    expect(admits.update(not(gen), a, b)).toBe(true);
    expect(admits.create(not(gen), a)).toBe(false);
  });
});
