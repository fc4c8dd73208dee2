import { describe, expect, it } from 'vitest';
import { defineKind } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { ConversionRegistry } from './conversion.js';
import type { ConversionReview } from './types.js';

interface V1Widget extends KubeObject {
  spec: { size: number; color: string };
}
interface V2Widget extends KubeObject {
  spec: { replicas: number; paint: { color: string } };
}
interface V3Widget extends KubeObject {
  spec: { count: string; color: string };
}

const hub = defineKind<V1Widget>({
  group: 'toys.example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
});
const v2 = defineKind<V2Widget>({
  group: 'toys.example.com',
  version: 'v2',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
});
const v3 = defineKind<V3Widget>({
  group: 'toys.example.com',
  version: 'v3',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
});

function registry(): ConversionRegistry {
  const conversions = new ConversionRegistry();
  conversions.addSpoke(hub, v2, {
    convertTo: (spoke) => ({ spec: { size: spoke.spec.replicas, color: spoke.spec.paint.color } }),
    convertFrom: (h) => ({ spec: { replicas: h.spec.size, paint: { color: h.spec.color } } }),
  });
  conversions.addSpoke(hub, v3, {
    convertTo: (spoke) => ({ spec: { size: Number(spoke.spec.count), color: spoke.spec.color } }),
    convertFrom: (h) => ({ spec: { count: String(h.spec.size), color: h.spec.color } }),
  });
  return conversions;
}

function review(desiredAPIVersion: string, objects: KubeObject[]): ConversionReview {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'ConversionReview',
    request: { uid: 'u1', desiredAPIVersion, objects },
  };
}

const metadata = { name: 'w', namespace: 'ns', uid: 'x', resourceVersion: '7', labels: { a: 'b' } };

describe('ConversionRegistry', () => {
  it('converts spoke to spoke through the hub, keeping metadata and setting apiVersion', async () => {
    const answer = await registry().handle(
      review('toys.example.com/v3', [
        {
          apiVersion: 'toys.example.com/v2',
          kind: 'Widget',
          metadata,
          spec: { replicas: 4, paint: { color: 'red' } },
        } as KubeObject,
      ]),
    );
    expect(answer.response).toEqual({
      uid: 'u1',
      result: { status: 'Success' },
      convertedObjects: [
        { apiVersion: 'toys.example.com/v3', kind: 'Widget', metadata, spec: { count: '4', color: 'red' } },
      ],
    });
  });

  it('converts hub to spoke and returns objects already in the desired version unchanged', async () => {
    const inHub = { apiVersion: 'toys.example.com/v1', kind: 'Widget', metadata, spec: { size: 2, color: 'blue' } };
    const inV2 = {
      apiVersion: 'toys.example.com/v2',
      kind: 'Widget',
      metadata,
      spec: { replicas: 1, paint: { color: 'x' } },
    };
    const answer = await registry().handle(review('toys.example.com/v2', [inHub, inV2] as KubeObject[]));
    expect(answer.response?.convertedObjects).toEqual([
      { apiVersion: 'toys.example.com/v2', kind: 'Widget', metadata, spec: { replicas: 2, paint: { color: 'blue' } } },
      inV2,
    ]);
  });

  it('answers Failure naming the object when a version has no converter', async () => {
    const answer = await registry().handle(
      review('toys.example.com/v9', [
        { apiVersion: 'toys.example.com/v1', kind: 'Widget', metadata, spec: { size: 1, color: 'c' } } as KubeObject,
      ]),
    );
    expect(answer.response?.result.status).toBe('Failure');
    expect(answer.response?.result.message).toContain(
      'converting Widget ns/w from toys.example.com/v1 to toys.example.com/v9',
    );
    expect(answer.response?.result.message).toContain('neither the hub (v1) nor a registered spoke');
  });

  it('answers Failure when a converter throws', async () => {
    const conversions = new ConversionRegistry();
    conversions.addSpoke(hub, v2, {
      convertTo: () => {
        throw new Error('paint is required');
      },
      convertFrom: (h) => ({ spec: { replicas: h.spec.size, paint: { color: h.spec.color } } }),
    });
    const answer = await conversions.handle(
      review('toys.example.com/v1', [{ apiVersion: 'toys.example.com/v2', kind: 'Widget', metadata } as KubeObject]),
    );
    expect(answer.response).toMatchObject({ uid: 'u1', convertedObjects: [], result: { status: 'Failure' } });
    expect(answer.response?.result.message).toMatch(/paint is required$/);
  });

  it('rejects a second hub version for the same kind and spokes of another kind', () => {
    const conversions = registry();
    expect(() => conversions.addHub(v2 as never)).toThrow('already has hub v1, not v2');
    const gadget = defineKind({
      group: 'toys.example.com',
      version: 'v2',
      kind: 'Gadget',
      plural: 'gadgets',
      namespaced: true,
    });
    expect(() =>
      conversions.addSpoke(hub, gadget, {
        convertTo: () => ({ spec: { size: 1, color: '' } }),
        convertFrom: () => ({}),
      }),
    ).toThrow('is not a spoke of hub');
  });
});
