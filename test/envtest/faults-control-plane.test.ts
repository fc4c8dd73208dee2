/**
 * `startControlPlane({ faults: true })`: a control plane of its own behind the fault proxy. Its
 * RestConfig, kubeconfig and kubeconfig file reach the apiserver through the proxy (serving with
 * the control plane's certificate, so the CA is the control plane's); `apiServer` reaches it directly.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type FaultyControlPlane } from '../../src/envtest/index.js';
import { ConfigMap, loadRestConfig, newClient, type DirectClient } from '../../src/runtime/index.js';
import { testAssetsDir } from '../support/cluster.js';

let plane: FaultyControlPlane;
const clients: DirectClient[] = [];

beforeAll(async () => {
  plane = await startControlPlane({ assetsDir: testAssetsDir(), faults: { seed: 7 } });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await plane?.stop();
});

describe('startControlPlane({ faults })', () => {
  it('hands out the proxy, with the control plane CA, and keeps the apiserver reachable', async () => {
    expect(plane.restConfig.server).not.toBe(plane.apiServer.restConfig.server);
    expect(plane.restConfig.caData).toBe(plane.apiServer.restConfig.caData);
    expect(readFileSync(plane.kubeconfigPath, 'utf8')).toBe(plane.kubeconfig);

    const fromFile = loadRestConfig({ kubeconfig: plane.kubeconfigPath });
    expect(fromFile.server).toBe(plane.restConfig.server);
    const proxied = newClient(fromFile, { maxRetries: 0 });
    const direct = newClient(plane.apiServer.restConfig);
    clients.push(proxied, direct);

    await direct.create(ConfigMap, { metadata: { name: 'cp', namespace: 'default' } });
    plane.faults.fail({ status: 503, verbs: 'get', resources: 'configmaps' });
    await expect(proxied.get(ConfigMap, { namespace: 'default', name: 'cp' })).rejects.toMatchObject({ status: 503 });
    expect(await direct.get(ConfigMap, { namespace: 'default', name: 'cp' })).toBeDefined();
    expect(plane.faults.count({ verbs: 'get', name: 'cp' })).toBe(1);
    plane.faults.reset();
    expect(await proxied.get(ConfigMap, { namespace: 'default', name: 'cp' })).toBeDefined();
  });
});
