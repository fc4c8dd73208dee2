import { describe, expect, it } from 'vitest';
import { Deployment, EventV1, Namespace, defineKind, kindName, parseApiVersion } from './kinds.js';

describe('defineKind', () => {
  it('derives apiVersion from group and version', () => {
    const kind = defineKind({
      group: 'webapp.example.com',
      version: 'v1',
      kind: 'Guestbook',
      plural: 'guestbooks',
      namespaced: true,
    });
    expect(kind).toEqual({
      group: 'webapp.example.com',
      version: 'v1',
      apiVersion: 'webapp.example.com/v1',
      kind: 'Guestbook',
      plural: 'guestbooks',
      namespaced: true,
    });
    expect(Object.isFrozen(kind)).toBe(true);
  });

  it('treats an omitted group as the core group', () => {
    expect(defineKind({ version: 'v1', kind: 'Thing', plural: 'things', namespaced: false }).apiVersion).toBe('v1');
  });

  it('rejects names the apiserver would refuse, naming the field', () => {
    expect(() => defineKind({ group: 'Web_App', version: 'v1', kind: 'A', plural: 'as', namespaced: true })).toThrow(
      /group "Web_App"/,
    );
    expect(() => defineKind({ group: 'a.io', version: 'V1', kind: 'A', plural: 'as', namespaced: true })).toThrow(
      /version "V1"/,
    );
    expect(() =>
      defineKind({ group: 'a.io', version: 'v1', kind: 'guestbook', plural: 'x', namespaced: true }),
    ).toThrow(/UpperCamelCase/);
    expect(() => defineKind({ group: 'a.io', version: 'v1', kind: 'A', plural: 'As', namespaced: true })).toThrow(
      /plural "As"/,
    );
  });
});

describe('built-in kinds', () => {
  it('address the served group, version, plural and scope', () => {
    expect(Deployment).toMatchObject({ apiVersion: 'apps/v1', plural: 'deployments', namespaced: true });
    expect(Namespace).toMatchObject({ apiVersion: 'v1', plural: 'namespaces', namespaced: false });
    expect(EventV1).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event' });
  });

  it('are named in messages as Kind.group/version', () => {
    expect(kindName(Deployment)).toBe('Deployment.apps/v1');
    expect(kindName(Namespace)).toBe('Namespace/v1');
  });
});

describe('parseApiVersion', () => {
  it('splits group and version, with the core group empty', () => {
    expect(parseApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
  });
});
