import { describe, expect, it } from 'vitest';
import { countKey, matches, requestInfo } from './request-info.js';
import { RuleSet, seededRandom } from './rules.js';

const info = (method: string, url: string) => requestInfo(method, url, 'h2');

describe('requestInfo', () => {
  it('reads verbs, resources and names as the apiserver does', () => {
    expect(info('GET', '/api/v1/namespaces/ns/configmaps/cm')).toMatchObject({
      verb: 'get',
      apiGroup: '',
      apiVersion: 'v1',
      resource: 'configmaps',
      namespace: 'ns',
      name: 'cm',
      watch: false,
      isResourceRequest: true,
    });
    expect(info('GET', '/apis/apps/v1/deployments?limit=500')).toMatchObject({
      verb: 'list',
      apiGroup: 'apps',
      resource: 'deployments',
    });
    expect(info('GET', '/api/v1/namespaces/ns/pods?watch=true&resourceVersion=5')).toMatchObject({
      verb: 'watch',
      watch: true,
    });
    expect(info('GET', '/api/v1/watch/namespaces/ns/pods')).toMatchObject({
      verb: 'watch',
      watch: true,
      namespace: 'ns',
    });
    expect(info('PUT', '/apis/example.com/v1/namespaces/ns/widgets/w/status')).toMatchObject({
      verb: 'update',
      resource: 'widgets',
      subresource: 'status',
    });
    const node = info('PATCH', '/api/v1/nodes/n1');
    expect(node).toMatchObject({ verb: 'patch', resource: 'nodes', name: 'n1' });
    expect(node.namespace).toBeUndefined();
    expect(info('DELETE', '/api/v1/namespaces/ns/configmaps')).toMatchObject({ verb: 'deletecollection' });
    expect(info('DELETE', '/api/v1/namespaces/ns/configmaps/a')).toMatchObject({ verb: 'delete' });
    expect(info('POST', '/api/v1/namespaces/ns/configmaps')).toMatchObject({ verb: 'create' });
  });

  it('keeps a namespace itself, and its status and finalize, on the namespaces resource', () => {
    expect(info('GET', '/api/v1/namespaces/ns')).toMatchObject({ resource: 'namespaces', name: 'ns', namespace: 'ns' });
    expect(info('PUT', '/api/v1/namespaces/ns/finalize')).toMatchObject({
      verb: 'update',
      resource: 'namespaces',
      name: 'ns',
      subresource: 'finalize',
    });
  });

  it('names non-resource requests by their path', () => {
    const version = info('GET', '/version');
    expect(version).toMatchObject({ verb: 'get', isResourceRequest: false });
    expect(version.resource).toBeUndefined();
    expect(countKey(version)).toBe('get /version');
    expect(countKey(info('GET', '/apis/apps/v1'))).toBe('get /apis/apps/v1');
    expect(countKey(info('PATCH', '/api/v1/namespaces/ns/pods/p/status'))).toBe('patch pods/status');
  });
});

describe('matches', () => {
  const status = info('PUT', '/apis/example.com/v1/namespaces/ns/widgets/w/status');
  it('needs every given field, any entry of a list, and the predicate', () => {
    expect(matches(undefined, status)).toBe(true);
    expect(matches({ verbs: ['patch', 'update'], resources: 'widgets/status' }, status)).toBe(true);
    expect(matches({ resources: 'widgets/scale' }, status)).toBe(false);
    expect(matches({ resources: 'widgets', apiGroup: 'example.com', namespace: 'ns', name: 'w' }, status)).toBe(true);
    expect(matches({ apiGroup: '' }, status)).toBe(false);
    expect(matches({ watch: true }, status)).toBe(false);
    expect(matches({ verbs: '*', when: (r) => r.name === 'other' }, status)).toBe(false);
  });
});

describe('rules', () => {
  it('the seeded PRNG repeats its sequence for a seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, seededRandom(43))).not.toEqual(first);
  });

  it('a rule with times takes that many matching requests, then none', () => {
    const rules = new RuleSet<{ times?: number; verbs?: string }>(() => 1);
    const rule = rules.add({ times: 2, verbs: 'get' }, 'test');
    const get = info('GET', '/api/v1/namespaces/ns/pods/p');
    const list = info('GET', '/api/v1/pods');
    expect([rules.first(list), rules.first(get), rules.first(get), rules.first(get)].map(Boolean)).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(rule.hits).toBe(2);
    rule.remove();
    expect(rules.size).toBe(0);
  });
});
