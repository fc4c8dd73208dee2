import { describe, expect, it } from 'vitest';
import {
  etcdWrapperGoMod,
  kubernetesWrapperGoMod,
  parseKubernetesGoMod,
  stagingVersionOf,
  toolsGo,
  versionLdflags,
} from './go-modules.js';

const kubernetesGoModExcerpt = `module k8s.io/kubernetes

go 1.26.0

godebug default=go1.26

require (
\tk8s.io/api v0.0.0
\tk8s.io/streaming v0.0.0
)

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/apiextensions-apiserver => ./staging/src/k8s.io/apiextensions-apiserver
\tk8s.io/streaming => ./staging/src/k8s.io/streaming
)

replace k8s.io/cri-streaming => ./staging/src/k8s.io/cri-streaming
replace github.com/example/fork => github.com/example/fork v1.2.3
`;

describe('the Go build recipe', () => {
  it('reads every staging module and the go/godebug directives from k8s.io/kubernetes go.mod', () => {
    expect(parseKubernetesGoMod(kubernetesGoModExcerpt)).toEqual({
      stagingModules: ['k8s.io/api', 'k8s.io/apiextensions-apiserver', 'k8s.io/cri-streaming', 'k8s.io/streaming'],
      goDirective: '1.26.0',
      godebug: ['default=go1.26'],
    });
  });

  it('replaces each staging module with the v0.<minor>.<patch> tag of the release', () => {
    const goMod = kubernetesWrapperGoMod('1.37.2', parseKubernetesGoMod(kubernetesGoModExcerpt));
    expect(goMod).toContain('require k8s.io/kubernetes v1.37.2');
    expect(goMod).toContain('\tk8s.io/api => k8s.io/api v0.37.2');
    expect(goMod).toContain('\tk8s.io/cri-streaming => k8s.io/cri-streaming v0.37.2');
    expect(goMod).toMatch(/^go 1\.26\.0$/m);
    expect(goMod).toMatch(/^godebug default=go1\.26$/m);
    expect(goMod).not.toContain('github.com/example/fork');
    expect(stagingVersionOf('1.35.4')).toBe('v0.35.4');
  });

  it('keeps etcd in a module of its own', () => {
    expect(etcdWrapperGoMod('3.7.3')).toContain('require go.etcd.io/etcd/server/v3 v3.7.3');
    expect(etcdWrapperGoMod('3.7.3')).not.toContain('k8s.io');
  });

  it('stamps the release version into component-base and client-go', () => {
    const flags = versionLdflags('1.36.3');
    expect(flags).toContain('-X k8s.io/component-base/version.gitVersion=v1.36.3');
    expect(flags).toContain('-X k8s.io/client-go/pkg/version.gitMinor=36');
    expect(flags).toContain('-X k8s.io/component-base/version.gitMajor=1');
  });

  it('writes a tools file behind the tools build tag', () => {
    expect(toolsGo(['k8s.io/kubernetes/cmd/kube-apiserver'])).toBe(
      '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n)\n',
    );
  });
});
