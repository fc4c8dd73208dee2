/**
 * What the generated CRD rejects at admission, before the operator ever sees it (required image,
 * minimums, CEL rules), and what kubectl shows for it (print columns, short name).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectClient } from '../../src/runtime/index.js';
import { createTestNamespace, kubectl } from '../support/cluster.js';
import { microService, MicroServiceKind, prepareCluster } from './operator.js';

describe('MicroService CRD schema', () => {
  let client: DirectClient;
  let namespace: string;

  beforeAll(async () => {
    client = await prepareCluster();
    namespace = await createTestNamespace('msvc-schema');
  });

  const rejection = (spec: object) =>
    client.create(MicroServiceKind, microService(namespace, 'bad', spec as never)).then(
      () => 'accepted',
      (error: Error) => error.message,
    );

  it('rejects a spec without an image, with negative replicas or with rollbackTo 0', async () => {
    expect(await rejection({ replicas: 1 })).toMatch(/spec.image: Required value/);
    expect(await rejection({ image: 'x', replicas: -1 })).toMatch(
      /spec.replicas: Invalid value: -1: .*greater than or equal to 0/,
    );
    expect(await rejection({ image: 'x', rollbackTo: 0 })).toMatch(/spec.rollbackTo: Invalid value: 0/);
  });

  it('enforces the CEL rules: an ingress needs a port, service ports must be distinct', async () => {
    expect(await rejection({ image: 'x', ingress: { host: 'a.example.com' } })).toContain(
      'ingress needs at least one port to route to',
    );
    const ports = [
      { name: 'a', containerPort: 8080, servicePort: 80 },
      { name: 'b', containerPort: 80 },
    ];
    expect(await rejection({ image: 'x', ports })).toContain('ports must expose distinct service ports');
    expect(await rejection({ image: 'x', ingress: { host: '' }, ports })).toContain(
      'ingress.host is required when ingress is set',
    );
  });

  it('defaults replicas, protocol, path and configMode, and prints Image, Ready, Revision and Age', async () => {
    const created = await client.create(
      MicroServiceKind,
      microService(namespace, 'defaults', {
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80 }],
        ingress: { host: 'd.example.com' },
      }),
    );
    expect(created.spec).toMatchObject({
      replicas: 1,
      configMode: 'env',
      ports: [{ protocol: 'TCP' }],
      ingress: { path: '/' },
    });
    const table = await kubectl(['get', 'msvc', '-n', namespace]);
    expect(table.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'IMAGE', 'READY', 'REVISION', 'AGE']);
    expect(table).toMatch(/defaults\s+nginx:1\.27/);
  });
});
