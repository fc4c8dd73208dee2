import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../runtime/index.js';
import { humanDuration, readiness as readinessOf } from './tree-format.js';

const readiness = (object: object) => readinessOf(object as KubeObject);

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [45, '45s'],
    [119, '119s'],
    [200, '3m20s'],
    [300, '5m'],
    [95 * 60, '95m'],
    [5 * 3600 + 12 * 60, '5h12m'],
    [30 * 3600, '30h'],
    [3 * 86400 + 4 * 3600, '3d4h'],
    [42 * 86400, '42d'],
    [(2 * 365 + 30) * 86400, '2y30d'],
    [9 * 365 * 86400, '9y'],
  ])('%i s is %s', (seconds, text) => expect(humanDuration(seconds * 1000)).toBe(text));
});

describe('readiness', () => {
  it('takes the Ready condition, else Available, else replicas, else -; STATUS from reason, else phase', () => {
    const cond = (type: string, status: string, reason?: string) => ({ type, status, reason });
    expect(
      readiness({ status: { conditions: [cond('Available', 'True'), cond('Ready', 'False', 'Waiting')] } }),
    ).toEqual({
      ready: 'False',
      status: 'Waiting',
    });
    expect(readiness({ status: { conditions: [cond('Available', 'True', 'MinimumReplicasAvailable')] } })).toEqual({
      ready: 'True',
      status: 'MinimumReplicasAvailable',
    });
    expect(readiness({ spec: { replicas: 3 }, status: { readyReplicas: 2 } })).toEqual({ ready: '2/3', status: '' });
    expect(readiness({ status: { phase: 'Pending' } })).toEqual({ ready: '-', status: 'Pending' });
    expect(readiness({ data: {} })).toEqual({ ready: '-', status: '' });
  });
});
