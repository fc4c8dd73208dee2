import { describe, expect, it } from 'vitest';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '../../envtest/index.js';
import {
  coreSchemaDefinitions,
  DEFAULT_KUBERNETES_MINOR,
  kubernetesMinorOf,
  kubernetesVersionOf,
  SHIPPED_KUBERNETES_MINORS,
} from './index.js';

const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');

describe('shipped Kubernetes minors', () => {
  it("ships envtest's versions, the newest three, and defaults to envtest's minor", () => {
    expect(SHIPPED_KUBERNETES_MINORS).toEqual(['1.35', '1.36', '1.37']);
    expect(SHIPPED_KUBERNETES_MINORS.map(kubernetesVersionOf)).toEqual([...KUBERNETES_VERSIONS].reverse());
    expect(DEFAULT_KUBERNETES_MINOR).toBe(minorOf(DEFAULT_KUBERNETES_VERSION));
  });

  it('reads 1.35, v1.35 and 1.35.4 as the same minor', () => {
    expect(['1.35', 'v1.35', '1.35.4'].map((value) => kubernetesMinorOf(value, '--kubernetes-version'))).toEqual([
      '1.35',
      '1.35',
      '1.35',
    ]);
  });

  it('names the source and the shipped minors for anything else', () => {
    expect(() => kubernetesMinorOf('1.34', 'PROJECT kubernetesVersion')).toThrow(
      'PROJECT kubernetesVersion "1.34" is not a shipped Kubernetes minor (shipped: 1.35, 1.36, 1.37)',
    );
    expect(() => kubernetesMinorOf('2', '--kubernetes-version')).toThrow(
      '--kubernetes-version "2" is not a Kubernetes version',
    );
  });

  it("resolves each minor's definitions, properties included, from the pooled data", () => {
    const podSpec = (minor: string) => coreSchemaDefinitions(minor).V1PodSpec as { properties: Record<string, object> };
    expect(podSpec('1.35').properties.containers).toMatchObject({ type: 'array', items: { $ref: 'V1Container' } });
    expect(podSpec('1.35').properties.schedulingGroup).toBeUndefined();
    expect(podSpec('1.36').properties.schedulingGroup).toBeDefined();
    expect(podSpec('1.37').properties.evictionResponders).toBeDefined();
  });
});
