// Package v1 is the Go twin of k8sminor.types.ts, built against k8s.io/api v0.35 (this module's
// go.mod): kubeforge's `--kubernetes-version 1.35` must give the same CRD.
// +kubebuilder:object:generate=false
// +groupName=k8sminor.example.com
package v1

import (
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// BatchRunSpec embeds core types whose fields differ between Kubernetes minors.
type BatchRunSpec struct {
	// pod to run.
	Pod corev1.PodSpec `json:"pod"`
	// job that runs it.
	Job *batchv1.JobSpec `json:"job,omitempty"`
	// volumes shared with the pod.
	Volumes []corev1.Volume `json:"volumes,omitempty"`
}

// +kubebuilder:object:root=true

// BatchRun runs a pod as a job.
type BatchRun struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec *BatchRunSpec `json:"spec,omitempty"`
}
