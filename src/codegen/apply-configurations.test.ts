import { describe, expect, it } from 'vitest';
import { applyConfigurationFiles, isApplyConfigurationsFile } from './apply-configurations.js';

const root = (name: string, path: string, group = 'webapp.example.com', version = 'v1') => ({
  decl: { name },
  file: { path },
  group,
  version,
});
const crd = (group: string, kind: string, scope: string) => ({ spec: { group, names: { kind }, scope } });

describe('applyConfigurationFiles', () => {
  it('writes one file per folder of kinds, importing each kind from its types file', () => {
    const files = applyConfigurationFiles(
      '/p',
      [
        root('Guestbook', '/p/api/v1/guestbook.types.ts'),
        root('Tenant', '/p/api/v1/tenants/tenant.types.ts'),
        root('Cronjob', '/p/api/batch/v2/cronjob.types.ts', 'batch.example.com', 'v2'),
      ],
      [crd('webapp.example.com', 'Tenant', 'Cluster'), crd('webapp.example.com', 'Guestbook', 'Namespaced')],
      'kubeforge manifests',
    );
    expect([...files.keys()]).toEqual([
      'api/batch/v2/zz_generated.applyconfigurations.ts',
      'api/v1/zz_generated.applyconfigurations.ts',
      'api/v1/tenants/zz_generated.applyconfigurations.ts',
    ]);
    expect(files.get('api/v1/zz_generated.applyconfigurations.ts')).toContain(
      "import type { Guestbook } from './guestbook.types.js';",
    );
    const tenants = files.get('api/v1/tenants/zz_generated.applyconfigurations.ts')!;
    expect(tenants).toContain("import type { ApplyConfiguration } from 'kubeforge/runtime';");
    expect(tenants).toContain(
      "export type TenantApplyConfiguration = ApplyConfiguration<Tenant, 'webapp.example.com/v1', 'Tenant'>;",
    );
    // No CRD found (e.g. not built): namespaced, the default scope.
    expect(files.get('api/batch/v2/zz_generated.applyconfigurations.ts')).toContain(
      "NamespacedApplyConfiguration<Cronjob, 'batch.example.com/v2', 'Cronjob'>",
    );
  });

  it('writes nothing without kinds and recognises its own files', () => {
    expect(applyConfigurationFiles('/p', [], [], 'kubeforge manifests').size).toBe(0);
    expect(isApplyConfigurationsFile('/p/api/v1/zz_generated.applyconfigurations.ts')).toBe(true);
    expect(isApplyConfigurationsFile('/p/api/v1/guestbook.types.ts')).toBe(false);
  });
});
