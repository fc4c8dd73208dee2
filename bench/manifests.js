// `kubeforge manifests` wall time on a generated 20-kind project (median of N runs, whole CLI
// process), and controller-gen v0.23.0 on the same 20 kinds written as Go types plus on the
// parity twins (test/parity/go); controller-gen is built from Go modules on first use.
// Run: npm run build && node bench/manifests.js [runs]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { controllerGenPath } from './controller-gen.js';

const runs = Number(process.argv[2] ?? 5);
const KINDS = 20;
const repo = new URL('..', import.meta.url).pathname;
const controllerGen = await controllerGenPath();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timeRuns(command, args, cwd, env = process.env) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const startedAt = performance.now();
    execFileSync(command, args, { cwd, env, stdio: 'pipe' });
    times.push(performance.now() - startedAt);
  }
  return times;
}

/** Kind templates (TS and its Go twin) shared with bench/generation/twin-projects.js. */
export const tsKind = (
  kind,
) => `import type { V1Condition, V1EnvVar, V1ObjectMeta, V1ResourceRequirements } from '@kubernetes/client-node';
import type { int32, Quantity, Time } from 'kubeforge/api';

/** ${kind}Spec is the desired state of ${kind}. */
export interface ${kind}Spec {
  /** replicas to run. */
  // +kubebuilder:validation:Minimum=0
  // +kubebuilder:default=1
  replicas?: int32;
  /** image to run. */
  // +kubebuilder:validation:MinLength=1
  image: string;
  /** schedule in cron format. */
  // +kubebuilder:validation:Pattern=\`^(\\S+\\s){4}\\S+$\`
  schedule?: string;
  /** policy for concurrent runs. */
  policy?: 'Allow' | 'Forbid' | 'Replace';
  /** env of the workload. */
  env?: V1EnvVar[];
  /** resources of the workload. */
  resources?: V1ResourceRequirements;
  /** memory limit. */
  memory?: Quantity;
  /** labels to add. */
  labels?: Record<string, string>;
}

/** ${kind}Status is the observed state of ${kind}. */
export interface ${kind}Status {
  /** conditions of the ${kind}. */
  // +listType=map
  // +listMapKey=type
  conditions?: V1Condition[];
  /** lastRun time. */
  lastRun?: Time;
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="Image",type=string,JSONPath=".spec.image"
/** ${kind} is a benchmark kind. */
export interface ${kind} {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: ${kind}Spec;
  status?: ${kind}Status;
}
`;

export const goKind = (kind) => `package v1

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ${kind}Spec is the desired state of ${kind}.
type ${kind}Spec struct {
	// replicas to run.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:default=1
	Replicas *int32 \`json:"replicas,omitempty"\`
	// image to run.
	// +kubebuilder:validation:MinLength=1
	Image string \`json:"image"\`
	// schedule in cron format.
	// +kubebuilder:validation:Pattern=\`^(\\S+\\s){4}\\S+$\`
	Schedule *string \`json:"schedule,omitempty"\`
	// policy for concurrent runs.
	// +kubebuilder:validation:Enum=Allow;Forbid;Replace
	Policy *string \`json:"policy,omitempty"\`
	// env of the workload.
	Env []corev1.EnvVar \`json:"env,omitempty"\`
	// resources of the workload.
	Resources *corev1.ResourceRequirements \`json:"resources,omitempty"\`
	// memory limit.
	Memory *resource.Quantity \`json:"memory,omitempty"\`
	// labels to add.
	Labels map[string]string \`json:"labels,omitempty"\`
}

// ${kind}Status is the observed state of ${kind}.
type ${kind}Status struct {
	// conditions of the ${kind}.
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition \`json:"conditions,omitempty"\`
	// lastRun time.
	LastRun *metav1.Time \`json:"lastRun,omitempty"\`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="Image",type=string,JSONPath=".spec.image"

// ${kind} is a benchmark kind.
type ${kind} struct {
	metav1.TypeMeta   \`json:",inline"\`
	metav1.ObjectMeta \`json:"metadata,omitempty"\`

	Spec   *${kind}Spec   \`json:"spec,omitempty"\`
	Status *${kind}Status \`json:"status,omitempty"\`
}
`;

if (process.argv[1] === fileURLToPath(import.meta.url)) main();

function main() {
  const work = mkdtempSync(join(tmpdir(), 'kubeforge-bench-manifests-'));
  try {
    const kinds = Array.from({ length: KINDS }, (_, i) => `Kind${String(i + 1).padStart(2, '0')}`);
    const ts = join(work, 'ts');
    mkdirSync(join(ts, 'api', 'v1'), { recursive: true });
    writeFileSync(join(ts, 'api', 'v1', 'groupversion.ts'), '// +groupName=bench.example.com\nexport {};\n');
    for (const kind of kinds) writeFileSync(join(ts, 'api', 'v1', `${kind.toLowerCase()}.types.ts`), tsKind(kind));
    const ours = timeRuns(process.execPath, [join(repo, 'bin', 'kubeforge.js'), 'manifests'], ts);
    console.log(
      `kubeforge manifests, ${KINDS} kinds: median ${median(ours).toFixed(0)} ms over ${runs} runs (${ours.map((t) => t.toFixed(0)).join(', ')})`,
    );

    const go = join(work, 'go');
    cpSync(join(repo, 'test', 'parity', 'go'), go, { recursive: true });
    mkdirSync(join(go, 'bench', 'v1'), { recursive: true });
    writeFileSync(join(go, 'bench', 'v1', 'groupversion_info.go'), '// +groupName=bench.example.com\npackage v1\n');
    for (const kind of kinds) writeFileSync(join(go, 'bench', 'v1', `${kind.toLowerCase()}_types.go`), goKind(kind));
    const env = { ...process.env, GOFLAGS: '-mod=mod' };
    const crdArgs = (paths) => [
      'crd:allowDangerousTypes=true',
      `paths=${paths}`,
      `output:crd:dir=${join(work, 'cg-out')}`,
    ];
    const cgKinds = timeRuns(controllerGen, crdArgs('./bench/...'), go, env);
    console.log(
      `controller-gen v0.23.0, same ${KINDS} kinds in Go: median ${median(cgKinds).toFixed(0)} ms (${cgKinds.map((t) => t.toFixed(0)).join(', ')})`,
    );
    const cgTwins = timeRuns(controllerGen, crdArgs('./guestbook/...;./validation/...;./coretypes/...'), go, env);
    const oursTwins = [];
    for (const fixture of ['guestbook', 'validation', 'coretypes']) {
      const dir = join(work, `twin-${fixture}`);
      mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
      cpSync(join(repo, 'fixtures', 'crd', `${fixture}.types.ts`), join(dir, 'api', 'v1', `${fixture}.types.ts`));
      oursTwins.push(median(timeRuns(process.execPath, [join(repo, 'bin', 'kubeforge.js'), 'manifests'], dir)));
    }
    console.log(
      `controller-gen v0.23.0 on the 3 parity twins: median ${median(cgTwins).toFixed(0)} ms; kubeforge on the 3 fixtures: ${oursTwins.map((t) => t.toFixed(0)).join(' + ')} ms (one process each)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
