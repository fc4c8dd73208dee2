import { describe, expect, it } from 'vitest';
import { Diagnostics } from './diagnostics.js';
import { parseMarker, type Marker } from './markers/index.js';
import { buildRoles } from './rbac.js';
import { buildWebhookConfigurations } from './webhooks.js';

function markers(...texts: string[]): Marker[] {
  return texts.map((text, i) => {
    const result = parseMarker(text, { file: 'src/controllers/x.ts', line: i + 1 });
    if (!('marker' in result)) throw new Error(`bad marker in test: ${text}`);
    return result.marker;
  });
}

describe('RBAC from +kubebuilder:rbac markers', () => {
  it('merges, deduplicates and sorts rules into a ClusterRole named manager-role', () => {
    const roles = buildRoles(
      markers(
        'kubebuilder:rbac:groups=webapp.example.com,resources=guestbooks,verbs=get;list;watch;create;update;patch;delete',
        'kubebuilder:rbac:groups=webapp.example.com,resources=guestbooks/status,verbs=get;update;patch',
        'kubebuilder:rbac:groups=webapp.example.com,resources=guestbooks/finalizers,verbs=update',
        'kubebuilder:rbac:groups=apps,resources=deployments,verbs=list;get;watch',
        'kubebuilder:rbac:groups=apps,resources=deployments,verbs=create',
        'kubebuilder:rbac:groups="",resources=pods;configmaps,verbs=get;list;watch',
        'kubebuilder:rbac:groups=webapp.example.com,resources=guestbooks,verbs=get',
        'kubebuilder:rbac:urls=/metrics,verbs=get',
        'kubebuilder:rbac:groups=coordination.k8s.io,resources=leases,resourceNames=my-lock,verbs=get;update',
      ),
      false,
      new Diagnostics(),
    );
    expect(roles).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'manager-role' },
        rules: [
          { apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'get', 'list', 'watch'] },
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            resourceNames: ['my-lock'],
            verbs: ['get', 'update'],
          },
          {
            apiGroups: ['webapp.example.com'],
            resources: ['guestbooks'],
            verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
          },
          { apiGroups: ['webapp.example.com'], resources: ['guestbooks/finalizers'], verbs: ['update'] },
          { apiGroups: ['webapp.example.com'], resources: ['guestbooks/status'], verbs: ['get', 'patch', 'update'] },
          { nonResourceURLs: ['/metrics'], verbs: ['get'] },
        ],
      },
    ]);
  });

  it('combines groups that grant the same verbs on the same resources', () => {
    const [role] = buildRoles(
      markers(
        'kubebuilder:rbac:groups=a.io,resources=things,verbs=get',
        'kubebuilder:rbac:groups=b.io,resources=things,verbs=get',
      ),
      false,
      new Diagnostics(),
    );
    expect(role.rules).toEqual([{ apiGroups: ['a.io', 'b.io'], resources: ['things'], verbs: ['get'] }]);
  });

  it('writes a Role per namespace= and a Role instead of the ClusterRole in a namespaced project', () => {
    const roles = buildRoles(
      markers(
        'kubebuilder:rbac:groups=apps,resources=deployments,verbs=get',
        'kubebuilder:rbac:groups="",resources=secrets,verbs=get,namespace=infra',
      ),
      true,
      new Diagnostics(),
    );
    expect(roles.map((r) => [r.kind, r.metadata])).toEqual([
      ['Role', { name: 'manager-role' }],
      ['Role', { name: 'manager-role', namespace: 'infra' }],
    ]);
  });

  it('rejects non-resource URLs in a Role with the marker location', () => {
    const diagnostics = new Diagnostics();
    buildRoles(markers('kubebuilder:rbac:urls=/healthz,verbs=get,namespace=x'), false, diagnostics);
    expect(diagnostics.errors).toEqual([
      { file: 'src/controllers/x.ts', line: 1, message: expect.stringContaining('non-resource URLs') },
    ]);
  });
});

describe('webhook configurations from +kubebuilder:webhook markers', () => {
  it('writes mutating and validating configurations pointing at webhook-service', () => {
    const documents = buildWebhookConfigurations(
      markers(
        'kubebuilder:webhook:path=/mutate-webapp-example-com-v1-guestbook,mutating=true,failurePolicy=fail,sideEffects=None,groups=webapp.example.com,resources=guestbooks,verbs=create;update,versions=v1,name=mguestbook-v1.kb.io,admissionReviewVersions=v1',
        'kubebuilder:webhook:path=/validate-webapp-example-com-v1-guestbook,mutating=false,failurePolicy=ignore,sideEffects=None,groups=webapp.example.com,resources=guestbooks,verbs=create;update;delete,versions=v1,name=vguestbook-v1.kb.io,admissionReviewVersions=v1,timeoutSeconds=5',
      ),
      new Diagnostics(),
    );
    expect(documents.map((d) => d.kind)).toEqual(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
    expect(documents[1].webhooks).toEqual([
      {
        admissionReviewVersions: ['v1'],
        clientConfig: {
          service: { name: 'webhook-service', namespace: 'system', path: '/validate-webapp-example-com-v1-guestbook' },
        },
        failurePolicy: 'Ignore',
        name: 'vguestbook-v1.kb.io',
        rules: [
          {
            apiGroups: ['webapp.example.com'],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE', 'DELETE'],
            resources: ['guestbooks'],
          },
        ],
        sideEffects: 'None',
        timeoutSeconds: 5,
      },
    ]);
  });

  it('reports a bad failurePolicy', () => {
    const diagnostics = new Diagnostics();
    buildWebhookConfigurations(
      markers(
        'kubebuilder:webhook:path=/m,mutating=true,failurePolicy=explode,sideEffects=None,groups=g,resources=r,verbs=create,versions=v1,name=m.kb.io,admissionReviewVersions=v1',
      ),
      diagnostics,
    );
    expect(diagnostics.errors[0].message).toContain('failurePolicy=explode is not valid');
  });
});
