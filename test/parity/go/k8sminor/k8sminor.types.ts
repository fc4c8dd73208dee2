// +groupName=k8sminor.example.com
import type { V1JobSpec, V1ObjectMeta, V1PodSpec, V1Volume } from '@kubernetes/client-node';

/** BatchRunSpec embeds core types whose fields differ between Kubernetes minors. */
export interface BatchRunSpec {
  /** pod to run. */
  pod: V1PodSpec;
  /** job that runs it. */
  job?: V1JobSpec;
  /** volumes shared with the pod. */
  volumes?: V1Volume[];
}

// +kubebuilder:object:root=true
/** BatchRun runs a pod as a job. */
export interface BatchRun {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: BatchRunSpec;
}
