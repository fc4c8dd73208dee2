import { describe, expect, it } from 'vitest';
import {
  camelOf,
  checkDomain,
  checkGroup,
  checkKind,
  checkPlural,
  checkProjectName,
  checkVersion,
  pluralOf,
  sharedResourceName,
  singularOf,
  type ResourceNames,
} from './naming.js';

describe('naming rules', () => {
  it('accepts DNS-1123 domains and groups and rejects everything else', () => {
    expect(checkDomain('example.com')).toBeUndefined();
    expect(checkDomain('my-company.io')).toBeUndefined();
    expect(checkDomain('Example.com')).toMatch(/DNS-1123 subdomain/);
    expect(checkDomain('example_com')).toMatch(/DNS-1123 subdomain/);
    expect(checkDomain('-example.com')).toMatch(/DNS-1123 subdomain/);
    expect(checkDomain('')).toMatch(/must not be empty/);
    expect(checkGroup('webapp', 'example.com')).toBeUndefined();
    expect(checkGroup('Web_App', 'example.com')).toMatch(/DNS-1123 subdomain/);
    expect(checkGroup('a'.repeat(250), 'example.com')).toMatch(/at most 253/);
  });

  it('accepts Kubernetes API versions only', () => {
    for (const ok of ['v1', 'v2', 'v10', 'v1alpha1', 'v2beta3']) expect(checkVersion(ok)).toBeUndefined();
    for (const bad of ['1', 'v0', 'V1', 'v1gamma1', 'v1alpha', 'v1beta0', 'v01', 'version1']) {
      expect(checkVersion(bad), bad).toMatch(/v<N>/);
    }
  });

  it('requires PascalCase kinds that are not reserved words', () => {
    expect(checkKind('Guestbook')).toBeUndefined();
    expect(checkKind('CronJob')).toBeUndefined();
    expect(checkKind('guestbook')).toMatch(/PascalCase/);
    expect(checkKind('Guest_book')).toMatch(/PascalCase/);
    expect(checkKind('1Guestbook')).toMatch(/PascalCase/);
    expect(checkKind('Class')).toMatch(/reserved/);
    expect(checkKind('Promise')).toMatch(/reserved/);
    expect(checkKind('Reconciler')).toMatch(/reserved/);
  });

  it('requires DNS-1123 labels for plurals and project names', () => {
    expect(checkPlural('guestbooks')).toBeUndefined();
    expect(checkPlural('Guestbooks')).toMatch(/DNS-1123 label/);
    expect(checkProjectName('guestbook-operator')).toBeUndefined();
    expect(checkProjectName('My Project')).toMatch(/DNS-1123 label/);
    expect(checkProjectName('a'.repeat(64))).toMatch(/at most 63/);
  });

  it('pluralises kinds the way kubebuilder does', () => {
    const cases: Record<string, string> = {
      Guestbook: 'guestbooks',
      CronJob: 'cronjobs',
      Policy: 'policies',
      NetworkPolicy: 'networkpolicies',
      Gateway: 'gateways',
      Ingress: 'ingresses',
      Proxy: 'proxies',
      Status: 'statuses',
      Box: 'boxes',
      Patch: 'patches',
      Mesh: 'meshes',
      Analysis: 'analyses',
      Person: 'people',
      SalesPerson: 'salespeople',
      Index: 'indices',
      Leaf: 'leaves',
      Photo: 'photos',
      Hero: 'heroes',
      Metadata: 'metadata',
      Series: 'series',
      HTTPRoute: 'httproutes',
      MicroService: 'microservices',
      Memcached: 'memcacheds',
      Quiz: 'quizzes',
    };
    for (const [kind, plural] of Object.entries(cases)) expect(pluralOf(kind), kind).toBe(plural);
  });

  it('derives camelCase variable names from kinds', () => {
    expect(camelOf('Guestbook')).toBe('guestbook');
    expect(camelOf('CronJob')).toBe('cronJob');
    expect(camelOf('HTTPRoute')).toBe('httpRoute');
  });

  it('finds the name two CRDs of one group both claim, as the apiserver checks them', () => {
    const names = (kind: string, plural: string, shortNames?: string[]): ResourceNames => ({
      kind,
      listKind: `${kind}List`,
      plural,
      singular: singularOf(kind),
      shortNames,
    });
    expect(singularOf('CronJob')).toBe('cronjob');
    expect(sharedResourceName(names('Foo', 'foos'), names('Bar', 'bars'))).toBeUndefined();
    expect(sharedResourceName(names('Foo', 'bars'), names('Bar', 'bars'))).toBe(
      '"bars" (the plural of Foo and the plural of Bar)',
    );
    expect(sharedResourceName(names('GUESTBOOK', 'guestbooks'), names('Guestbook', 'guestbookz'))).toBe(
      '"guestbook" (the singular of GUESTBOOK and the singular of Guestbook)',
    );
    expect(sharedResourceName(names('Bars', 'barz'), names('Foo', 'bars'))).toBe(
      '"bars" (the singular of Bars and the plural of Foo)',
    );
    expect(sharedResourceName(names('Cog', 'cogs', ['sprocket']), names('Sprocket', 'sprockets'))).toBe(
      '"sprocket" (the short name of Cog and the singular of Sprocket)',
    );
    expect(sharedResourceName(names('Item', 'items'), names('ItemList', 'itemlists'))).toBe(
      '"ItemList" (the list kind of Item and the kind of ItemList)',
    );
  });
});
