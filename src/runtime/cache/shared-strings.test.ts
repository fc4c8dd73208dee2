import { describe, expect, it } from 'vitest';
import { ConfigMap, Ingress } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { SharedStrings, shareObjectStrings } from './shared-strings.js';

function parsedIngress(name: string): KubeObject {
  return JSON.parse(
    JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
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
    const first = parsedIngress('a');
    const second = parsedIngress('b');
    expect(shareObjectStrings(first, Ingress, strings)).toEqual(parsedIngress('a'));
    expect(shareObjectStrings(second, Ingress, strings)).toEqual(parsedIngress('b'));
  });

  it('takes objects of another kind, without metadata or with a status of any shape', () => {
    const strings = new SharedStrings();
    const shapes: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap' },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x' } },
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
