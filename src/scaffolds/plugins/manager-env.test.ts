import { describe, expect, it } from 'vitest';
import { memoryTree } from '../../testing/tree.js';
import { MANAGER_FILE, setManagerEnv } from './manager-env.js';

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: system
`;
const deployment = (container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: controller-manager
spec:
  template:
    spec:
      # the operator
      containers:
${container}      terminationGracePeriodSeconds: 10
`;

describe('setManagerEnv', () => {
  it('adds env to the manager container, keeping the other documents, comments and layout', () => {
    const before = `${NAMESPACE}---\n${deployment('      - name: manager\n        image: controller:latest\n')}`;
    const tree = memoryTree({ [MANAGER_FILE]: before });
    expect(setManagerEnv(tree, 'MEMCACHED_IMAGE', 'memcached:1.6')).toBeUndefined();
    expect(tree.read(MANAGER_FILE)).toBe(
      `${NAMESPACE}---\n${deployment(
        '      - name: manager\n        image: controller:latest\n        env:\n        - name: MEMCACHED_IMAGE\n          value: memcached:1.6\n',
      )}`,
    );
  });

  it('appends to an existing env list and replaces an entry of the same name', () => {
    const container = (env: string) =>
      `      - name: manager\n        env:\n        - name: WATCH_NAMESPACE\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.namespace\n${env}`;
    const tree = memoryTree({ [MANAGER_FILE]: deployment(container('')) });
    setManagerEnv(tree, 'MEMCACHED_IMAGE', 'memcached:1.5');
    setManagerEnv(tree, 'MEMCACHED_IMAGE', 'memcached:1.6');
    expect(tree.read(MANAGER_FILE)).toBe(
      deployment(container('        - name: MEMCACHED_IMAGE\n          value: memcached:1.6\n')),
    );
  });

  it('returns a note, and stages nothing, without a manager container', () => {
    const tree = memoryTree({ [MANAGER_FILE]: deployment('      - name: proxy\n') });
    expect(setManagerEnv(tree, 'MEMCACHED_IMAGE', 'memcached:1.6')).toMatch(
      /has no Deployment with a "manager" container; set MEMCACHED_IMAGE=memcached:1\.6/,
    );
    expect(tree.changes()).toEqual([]);
  });
});
