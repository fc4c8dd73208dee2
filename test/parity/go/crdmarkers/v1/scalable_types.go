package v1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// ScalableSpec is the desired state.
type ScalableSpec struct {
	// replicas is the desired number of pods.
	// +kubebuilder:default=1
	Replicas *int32 `json:"replicas,omitempty"`
	// image to run.
	Image string `json:"image"`
}

// ScalableStatus is the observed state.
type ScalableStatus struct {
	// replicas is the observed number of pods.
	Replicas *int32 `json:"replicas,omitempty"`
	// selector for the pods, as a string.
	Selector *string `json:"selector,omitempty"`
	// labelSelector for the pods.
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`
	// phase of the rollout.
	Phase *string `json:"phase,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas,selectorpath=.status.selector
// +kubebuilder:resource:path=scalables,scope=Namespaced,shortName=scl;scb,categories=all;examples,singular=scalable
// +kubebuilder:printcolumn:name="Image",type=string,JSONPath=`.spec.image`,description="the image"
// +kubebuilder:printcolumn:name="Replicas",type=integer,JSONPath=".spec.replicas"
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=".status.phase",priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=".metadata.creationTimestamp"
// +kubebuilder:metadata:annotations="example.com/owner=team-a",labels="example.com/tier=backend"
// +kubebuilder:selectablefield:JSONPath=`.spec.image`
// +kubebuilder:deprecatedversion:warning="crdmarkers.example.com/v1 Scalable is deprecated"

// Scalable exercises CRD-level markers.
type Scalable struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   *ScalableSpec   `json:"spec,omitempty"`
	Status *ScalableStatus `json:"status,omitempty"`
}
