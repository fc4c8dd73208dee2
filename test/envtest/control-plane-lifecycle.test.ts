import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/envtest/index.js';
import { apiRequest } from '../../src/envtest/api-requests.js';
import { isAlive } from '../../src/envtest/processes.js';
import { EnvtestError } from '../../src/errors.js';

const run = promisify(execFile);

/** This file starts its OWN control plane: it stops and restarts the apiserver. */
describe('a control plane of its own', () => {
  let controlPlane: ControlPlane;

  beforeAll(async () => {
    controlPlane = await startControlPlane({ crdDirectoryPaths: [join(import.meta.dirname, 'fixtures', 'crds')] });
  });
  afterAll(() => controlPlane?.stop());

  it('serves kubectl through the kubeconfig it wrote', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', controlPlane.kubeconfigPath, 'get', 'ns', '-o', 'name']);
    expect(stdout).toContain('namespace/default');
  });

  it('serves a CRD installed from crdDirectoryPaths, with its schema enforced', async () => {
    const createWidget = (name: string, size: number) =>
      apiRequest(controlPlane.restConfig, 'POST', '/apis/test.kubeforge.io/v1/namespaces/default/widgets', {
        apiVersion: 'test.kubeforge.io/v1',
        kind: 'Widget',
        metadata: { name },
        spec: { size },
      });
    expect((await createWidget('big', 3)).status).toBe(201);
    expect((await createWidget('empty', 0)).status).toBe(422);
  });

  it('keeps its data when only the apiserver is stopped and started again', async () => {
    const configMaps = '/api/v1/namespaces/default/configmaps';
    const created = await apiRequest(controlPlane.restConfig, 'POST', configMaps, {
      metadata: { name: 'survivor' },
      data: { kept: 'yes' },
    });
    expect(created.status).toBe(201);
    const etcdPid = controlPlane.pids().etcd;

    await controlPlane.stopApiServer();
    expect(controlPlane.pids().apiServer).toBeUndefined();
    expect((await fetch(`${controlPlane.etcdUrl}/health`)).ok).toBe(true);
    await expect(apiRequest(controlPlane.restConfig, 'GET', `${configMaps}/survivor`)).rejects.toThrow(/ECONNREFUSED/);

    await controlPlane.startApiServer();
    expect(controlPlane.pids().etcd).toBe(etcdPid);
    const read = await apiRequest(controlPlane.restConfig, 'GET', `${configMaps}/survivor`);
    expect(JSON.parse(read.body).data).toEqual({ kept: 'yes' });
  });

  it('leaves no process, run directory or etcd data behind when stopped', async () => {
    const pids = Object.values(controlPlane.pids()).filter((pid): pid is number => pid !== undefined);
    expect(pids).toHaveLength(2);
    await controlPlane.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(controlPlane.runDir)).toBe(false);
    expect(existsSync(controlPlane.dataDir)).toBe(false);
  });
});

describe('starting a control plane with a bad CRD path', () => {
  it('fails with the path in the message before starting any process', async () => {
    const missing = join(import.meta.dirname, 'fixtures', 'no-such-crds');
    const error = await startControlPlane({ crdDirectoryPaths: [missing] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnvtestError);
    expect((error as Error).message).toBe(`CRD path ${missing} does not exist`);
  });
});
