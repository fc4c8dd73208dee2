/**
 * Parallel test files install the same CRDs on the shared control plane at once: the installs
 * must converge instead of failing on each other's writes.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiRequest } from '../../src/envtest/api-requests.js';
import { installCRDDocuments, type CrdDocument } from '../../src/envtest/crds.js';
import { testRestConfig } from '../support/cluster.js';

function racerCrd(group: string, racer: number): CrdDocument {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `racers.${group}`, labels: { racer: String(racer) } },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind: 'Racer', plural: 'racers' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
  return crd;
}

describe('installing CRDs concurrently', () => {
  it('converges when several installs of the same CRD race, each replacing the others', async () => {
    const group = `race-${randomBytes(4).toString('hex')}.kubeforge.io`;
    const racers = [1, 2, 3, 4, 5, 6];
    const installed = await Promise.all(
      racers.map((racer) => installCRDDocuments(testRestConfig(), [racerCrd(group, racer)])),
    );
    expect(installed).toEqual(racers.map(() => [`racers.${group}`]));

    const stored = JSON.parse(
      (
        await apiRequest(
          testRestConfig(),
          'GET',
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/racers.${group}`,
        )
      ).body,
    ) as { metadata: { labels: Record<string, string> } };
    expect(racers.map(String)).toContain(stored.metadata.labels.racer);
    const served = await apiRequest(testRestConfig(), 'GET', `/apis/${group}/v1`);
    expect(served.status).toBe(200);
  });
});
