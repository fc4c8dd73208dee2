import { describe, expect, it } from 'vitest';
import { defineKind, Pod } from '../kinds.js';
import { webhookPath } from './builder.js';

describe('webhookPath', () => {
  it("is controller-runtime's path: the group's dots become dashes", () => {
    const guestbook = defineKind({
      group: 'webapp.example.com',
      version: 'v1',
      kind: 'Guestbook',
      plural: 'guestbooks',
      namespaced: true,
    });
    expect(webhookPath('mutate', guestbook)).toBe('/mutate-webapp-example-com-v1-guestbook');
    expect(webhookPath('validate', guestbook)).toBe('/validate-webapp-example-com-v1-guestbook');
  });

  it('leaves the core group empty, as kubebuilder scaffolds a Pod webhook (/mutate--v1-pod)', () => {
    expect(webhookPath('mutate', Pod)).toBe('/mutate--v1-pod');
    expect(webhookPath('validate', Pod)).toBe('/validate--v1-pod');
  });
});
