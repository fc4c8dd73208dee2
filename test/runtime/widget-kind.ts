/**
 * A small CRD (Widget, namespaced, status subresource) the data-plane integration tests create
 * in the shared control plane, so CRUD, status and server-side apply run on a custom resource.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { CustomResourceDefinition, defineKind, isAlreadyExists, type DirectClient } from '../../src/runtime/index.js';

export interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: { size?: number; color?: string; tags?: string[] };
  status?: { phase?: string; observedSize?: number };
}

export const WidgetKind = defineKind<Widget>({
  group: 'data.kubeforge.io',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
});

/** Creates the Widget CRD if absent and waits until the apiserver serves it. */
export async function installWidgetCrd(client: DirectClient): Promise<void> {
  try {
    await client.create(CustomResourceDefinition, {
      metadata: { name: 'widgets.data.kubeforge.io' },
      spec: {
        group: 'data.kubeforge.io',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      size: { type: 'integer' },
                      color: { type: 'string' },
                      tags: { type: 'array', items: { type: 'string' } },
                    },
                  },
                  status: {
                    type: 'object',
                    properties: { phase: { type: 'string' }, observedSize: { type: 'integer' } },
                  },
                },
              },
            },
          },
        ],
      },
    });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const crd = await client.get(CustomResourceDefinition, { name: 'widgets.data.kubeforge.io' });
    const established = crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (established) {
      try {
        await client.list(WidgetKind, { namespace: 'default' });
        return;
      } catch {
        // served a moment after Established
      }
    }
    if (Date.now() > deadline) throw new Error('Widget CRD not established within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
