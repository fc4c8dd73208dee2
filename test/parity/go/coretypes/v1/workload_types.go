package v1

import (
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// WorkloadSpec embeds Kubernetes core types.
type WorkloadSpec struct {
	// template of the pods.
	Template corev1.PodTemplateSpec `json:"template"`
	// jobTemplate of the jobs.
	JobTemplate *batchv1.JobTemplateSpec `json:"jobTemplate,omitempty"`
	// env for the sidecar.
	Env []corev1.EnvVar `json:"env,omitempty"`
	// resources of the sidecar.
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
	// selector of the pods.
	Selector *metav1.LabelSelector `json:"selector,omitempty"`
	// configRef points at any object.
	ConfigRef *corev1.ObjectReference `json:"configRef,omitempty"`
	// pullSecret names a secret.
	PullSecret *corev1.LocalObjectReference `json:"pullSecret,omitempty"`
	// sidecar container.
	Sidecar *corev1.Container `json:"sidecar,omitempty"`
}

// +kubebuilder:object:root=true

// Workload embeds core types.
type Workload struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec *WorkloadSpec `json:"spec,omitempty"`
}
