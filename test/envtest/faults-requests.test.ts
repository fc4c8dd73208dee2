/**
 * The fault proxy in front of the shared apiserver, for plain requests: it forwards everything
 * (HTTP/2 and HTTP/1.1), counts requests per verb and resource, answers chosen ones with 429 +
 * Retry-After, 409, 500 or 503 (by count, seeded rate or predicate), and adds latency.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/envtest/index.js';
import { apiRequest } from '../../src/envtest/api-requests.js';
import { ApiError, ConfigMap, isConflict, newClient, type DirectClient } from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';

let proxy: FaultProxy;
let namespace: string;
const clients: DirectClient[] = [];

/** A runtime client through the proxy, over HTTP/2 or HTTP/1.1, without client-side throttling. */
function clientOver(protocol: 'h2' | 'http/1.1', options: { maxRetries?: number } = {}): DirectClient {
  const client = newClient(proxy.restConfig, { http2: protocol === 'h2', qps: -1, ...options });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  proxy = await startFaultProxy({ upstream: testRestConfig() });
  namespace = await createTestNamespace('faults-requests');
});

afterEach(() => proxy.faults.reset());

afterAll(async () => {
  for (const client of clients) client.close();
  await proxy?.close();
});

describe.each(['h2', 'http/1.1'] as const)('fault proxy over %s', (protocol) => {
  it('forwards requests and counts them per verb and resource', async () => {
    const client = clientOver(protocol);
    const name = `counted-${protocol.replace('/', '')}`;
    await client.create(ConfigMap, { metadata: { name, namespace }, data: { a: '1' } });
    expect((await client.get(ConfigMap, { namespace, name }))?.data).toEqual({ a: '1' });
    await client.list(ConfigMap, { namespace });
    const { faults } = proxy;
    expect(faults.count({ verbs: 'create', resources: 'configmaps', namespace })).toBe(1);
    expect(faults.count({ verbs: 'get', resources: 'configmaps', name })).toBe(1);
    expect(faults.counts()['list configmaps']).toBe(1);
    expect(faults.requests({ resources: 'configmaps' }).map((r) => [r.verb, r.protocol, r.status])).toEqual([
      ['create', protocol, 201],
      ['get', protocol, 200],
      ['list', protocol, 200],
    ]);
  });

  it('answers 429 with Retry-After a given number of times; the client waits and retries', async () => {
    const client = clientOver(protocol);
    const name = `throttled-${protocol.replace('/', '')}`;
    await client.create(ConfigMap, { metadata: { name, namespace } });
    const rule = proxy.faults.fail({
      status: 429,
      retryAfterSeconds: 1,
      verbs: 'get',
      resources: 'configmaps',
      times: 2,
    });
    expect(await client.get(ConfigMap, { namespace, name })).toBeDefined();
    expect(rule.hits).toBe(2);
    expect(proxy.faults.requests({ verbs: 'get', name }).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('answers 409 Conflict to status writes the client reports as a conflict', async () => {
    const client = clientOver(protocol);
    const name = `conflict-${protocol.replace('/', '')}`;
    const created = await client.create(ConfigMap, { metadata: { name, namespace } });
    proxy.faults.fail({ status: 409, verbs: ['update', 'patch'], resources: 'configmaps', name, times: 1 });
    const failed = await client.update(ConfigMap, { ...created, data: { x: '1' } }).catch((e: unknown) => e);
    expect(isConflict(failed)).toBe(true);
    expect((failed as ApiError).message).toContain('the object has been modified');
    // The rule took one request: the retry goes through.
    expect((await client.update(ConfigMap, { ...created, data: { x: '1' } })).data).toEqual({ x: '1' });
  });
});

describe('fault proxy rules', () => {
  it('takes requests by a predicate and leaves the others alone', async () => {
    const client = clientOver('h2', { maxRetries: 0 });
    await client.create(ConfigMap, { metadata: { name: 'spared', namespace } });
    await client.create(ConfigMap, { metadata: { name: 'doomed', namespace } });
    proxy.faults.fail({ status: 500, when: (r) => r.verb === 'get' && r.name === 'doomed' });
    expect(await client.get(ConfigMap, { namespace, name: 'spared' })).toBeDefined();
    const error = await client.get(ConfigMap, { namespace, name: 'doomed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(500);
  });

  it('takes a seeded rate of requests: the same requests after every reset', async () => {
    const client = clientOver('h2', { maxRetries: 0 });
    await client.create(ConfigMap, { metadata: { name: 'rated', namespace } });
    const pattern = async () => {
      proxy.faults.fail({ status: 503, rate: 0.5, verbs: 'get', name: 'rated' });
      const outcomes: string[] = [];
      for (let i = 0; i < 24; i++)
        outcomes.push(
          await client.get(ConfigMap, { namespace, name: 'rated' }).then(
            () => 'ok',
            (e: ApiError) => String(e.status),
          ),
        );
      proxy.faults.reset();
      return outcomes.join(' ');
    };
    const first = await pattern();
    expect(first).toContain('503');
    expect(first).toContain('ok');
    expect(await pattern()).toBe(first);
  });

  it('a plain HTTP/1.1 client sees the Status and the Retry-After header', async () => {
    proxy.faults.fail({ status: 429, retryAfterSeconds: 7, verbs: 'list', resources: 'configmaps' });
    const answer = await apiRequest(proxy.restConfig, 'GET', `/api/v1/namespaces/${namespace}/configmaps`);
    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.body)).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
      details: { kind: 'configmaps', retryAfterSeconds: 7 },
    });
  });

  it('removing a rule lets requests through again', async () => {
    const client = clientOver('http/1.1', { maxRetries: 0 });
    const rule = proxy.faults.fail({ status: 503, verbs: 'list', resources: 'configmaps' });
    await expect(client.list(ConfigMap, { namespace })).rejects.toMatchObject({ status: 503 });
    rule.remove();
    await expect(client.list(ConfigMap, { namespace })).resolves.toBeInstanceOf(Array);
  });

  it('delays matching requests: a later undelayed request is answered first', async () => {
    const client = clientOver('h2');
    await client.create(ConfigMap, { metadata: { name: 'slow', namespace } });
    proxy.faults.delay({ ms: 1500, verbs: 'get', name: 'slow' });
    const order: string[] = [];
    const slow = client.get(ConfigMap, { namespace, name: 'slow' }).then(() => order.push('slow'));
    await client.list(ConfigMap, { namespace }).then(() => order.push('list'));
    await slow;
    expect(order).toEqual(['list', 'slow']);
    expect(proxy.faults.requests({ name: 'slow' })[0].fault).toBe('delay 1500ms');
  });

  it('refuses bad rules with an error naming the option', () => {
    expect(() => proxy.faults.fail({ status: 200 })).toThrow(/status must be an HTTP error status/);
    expect(() => proxy.faults.fail({ status: 500, rate: 2 })).toThrow(/rate must be between 0 and 1/);
    expect(() => proxy.faults.fail({ status: 500, times: 0 })).toThrow(/times must be a positive integer/);
  });
});
