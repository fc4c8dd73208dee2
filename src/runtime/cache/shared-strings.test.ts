import { describe, expect, it } from 'vitest';
import { ConfigMap, defineKind } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { SharedStrings, shareObjectStrings } from './shared-strings.js';

const Widget = defineKind({
  group: 'bench.example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
});

function parsedWidget(name: string): KubeObject {
  return JSON.parse(
    JSON.stringify({
      apiVersion: 'bench.example.com/v1',
      kind: 'Widget',
      metadata: {
        name,
        namespace: 'widget-system',
        creationTimestamp: '2026-11-29T03:00:00Z',
        ownerReferences: [{ apiVersion: 'apps.example.com/v1', kind: 'Application', name: 'a', uid: 'u-1' }],
      },
      status: {
        conditions: [
          { type: 'Ready', status: 'True', reason: 'ReconcileSucceeded', lastTransitionTime: '2026-11-29T03:00:01Z' },
          null,
          'not a condition',
        ],
      },
    }),
  ) as KubeObject;
}

describe('shareObjectStrings', () => {
  it('leaves every value as it was', () => {
    const strings = new SharedStrings();
    const first = parsedWidget('a');
    const second = parsedWidget('b');
    expect(shareObjectStrings(first, Widget, strings)).toEqual(parsedWidget('a'));
    expect(shareObjectStrings(second, Widget, strings)).toEqual(parsedWidget('b'));
  });

  it('takes objects of another kind, without metadata or with a status of any shape', () => {
    const strings = new SharedStrings();
    const shapes: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap' },
      { apiVersion: 'bench.example.com/v1', kind: 'Widget', metadata: { name: 'x' } },
      { metadata: { name: 'y', ownerReferences: [] }, status: 'Running' } as KubeObject,
      { metadata: { name: 'z' }, status: { conditions: 'none' } } as KubeObject,
    ];
    for (const object of shapes)
      expect(shareObjectStrings(structuredClone(object), ConfigMap, strings)).toEqual(object);
  });

  it('keeps returning equal strings past its table limit', () => {
    const strings = new SharedStrings();
    for (let i = 0; i < 10_000; i++) expect(strings.share(`2026-11-29T03:00:${i}Z`)).toBe(`2026-11-29T03:00:${i}Z`);
    expect(strings.share(42)).toBe(42);
  });
});
