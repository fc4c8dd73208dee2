import type { V1Condition } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  findStatusCondition,
  isStatusConditionFalse,
  isStatusConditionTrue,
  removeStatusCondition,
  setStatusCondition,
} from './conditions.js';

describe('status conditions', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00.750Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('adds a new condition stamped with the current second', () => {
    const conditions: V1Condition[] = [];
    expect(setStatusCondition(conditions, { type: 'Ready', status: 'False', reason: 'Creating' })).toBe(true);
    expect(conditions).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'Creating',
        message: '',
        lastTransitionTime: new Date('2026-01-01T00:00:00Z'),
      },
    ]);
  });

  it('moves lastTransitionTime only when the status changes', () => {
    const conditions: V1Condition[] = [];
    setStatusCondition(conditions, { type: 'Ready', status: 'False', reason: 'Creating' });
    vi.setSystemTime(new Date('2026-01-01T00:05:00Z'));
    expect(
      setStatusCondition(conditions, {
        type: 'Ready',
        status: 'False',
        reason: 'StillCreating',
        message: 'waiting',
        observedGeneration: 2,
      }),
    ).toBe(true);
    expect(conditions[0]).toMatchObject({
      reason: 'StillCreating',
      message: 'waiting',
      observedGeneration: 2,
      lastTransitionTime: new Date('2026-01-01T00:00:00Z'),
    });
    vi.setSystemTime(new Date('2026-01-01T00:10:00Z'));
    expect(setStatusCondition(conditions, { type: 'Ready', status: 'True', reason: 'Available', message: 'ok' })).toBe(
      true,
    );
    expect(conditions[0].lastTransitionTime).toEqual(new Date('2026-01-01T00:10:00Z'));
  });

  it('reports no change when setting an identical condition', () => {
    const conditions: V1Condition[] = [];
    setStatusCondition(conditions, {
      type: 'Ready',
      status: 'True',
      reason: 'Available',
      message: 'ok',
      observedGeneration: 1,
    });
    expect(
      setStatusCondition(conditions, {
        type: 'Ready',
        status: 'True',
        reason: 'Available',
        message: 'ok',
        observedGeneration: 1,
      }),
    ).toBe(false);
  });

  it('finds, tests and removes conditions by type', () => {
    const conditions: V1Condition[] = [];
    setStatusCondition(conditions, { type: 'Ready', status: 'True', reason: 'A' });
    setStatusCondition(conditions, { type: 'Degraded', status: 'False', reason: 'B' });
    expect(findStatusCondition(conditions, 'Degraded')?.reason).toBe('B');
    expect(isStatusConditionTrue(conditions, 'Ready')).toBe(true);
    expect(isStatusConditionFalse(conditions, 'Degraded')).toBe(true);
    expect(isStatusConditionTrue(undefined, 'Ready')).toBe(false);
    expect(removeStatusCondition(conditions, 'Ready')).toBe(true);
    expect(removeStatusCondition(conditions, 'Ready')).toBe(false);
    expect(conditions.map((c) => c.type)).toEqual(['Degraded']);
  });
});
