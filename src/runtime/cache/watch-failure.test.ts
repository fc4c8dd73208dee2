import { describe, expect, it } from 'vitest';
import { ApiError } from '../client/index.js';
import { defineKind } from '../kinds.js';
import { explainWatchFailure, ReportThrottle } from './watch-failure.js';

const Gadget = defineKind({
  group: 'toys.example.com',
  version: 'v1',
  kind: 'Gadget',
  plural: 'gadgets',
  namespaced: true,
});

describe('explainWatchFailure', () => {
  it('explains a 404 without an object name as a missing CRD, not a missing object', () => {
    const missing = new ApiError('list toys.example.com/v1 Gadget', 404, undefined, '404 page not found');
    expect(explainWatchFailure(Gadget, 'list', missing)).toMatch(
      /^the apiserver has no gadgets.toys.example.com for Gadget/,
    );
    const named = new ApiError('get', 404, { reason: 'NotFound', details: { name: 'x' } } as never);
    expect(explainWatchFailure(Gadget, 'list', named)).toBeUndefined();
    expect(explainWatchFailure(Gadget, 'list', new Error('socket hang up'))).toBeUndefined();
  });

  it('names the verb, scope and marker of a 403', () => {
    const forbidden = new ApiError('watch', 403, undefined, 'forbidden');
    expect(explainWatchFailure(Gadget, 'watch', forbidden)).toContain(
      'forbidden to watch gadgets.toys.example.com (Gadget (toys.example.com/v1)) cluster-wide',
    );
    expect(explainWatchFailure(Gadget, 'watch', forbidden)).toContain(
      '+kubebuilder:rbac:groups=toys.example.com,resources=gadgets,verbs=get;list;watch',
    );
  });
});

describe('ReportThrottle', () => {
  it('reports a message once per interval, a different or reset one at once', () => {
    const throttle = new ReportThrottle(60_000);
    expect(throttle.shouldReport('a', 0)).toBe(true);
    expect(throttle.shouldReport('a', 59_999)).toBe(false);
    expect(throttle.shouldReport('a', 60_000)).toBe(true);
    expect(throttle.shouldReport('b', 60_001)).toBe(true);
    throttle.reset();
    expect(throttle.shouldReport('b', 60_002)).toBe(true);
  });
});
