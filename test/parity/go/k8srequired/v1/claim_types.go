package v1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Name is a name.
type Name string

// Short is a bounded name.
// +kubebuilder:validation:MaxLength=5
type Short string

// ClaimSpec has +k8s:required fields of string-like types.
type ClaimSpec struct {
	// name is a string alias.
	// +k8s:required
	Name Name `json:"name"`
	// short is a string alias with markers of its own.
	// +k8s:required
	Short Short `json:"short"`
	// since is a time.
	// +k8s:required
	Since metav1.Time `json:"since"`
	// seen is a time with microseconds.
	// +k8s:required
	Seen metav1.MicroTime `json:"seen"`
	// port is an int or a string.
	// +k8s:required
	Port intstr.IntOrString `json:"port"`
	// size is a quantity.
	// +k8s:required
	Size resource.Quantity `json:"size"`
}

// +kubebuilder:object:root=true

// Claim has required string-like fields.
type Claim struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec ClaimSpec `json:"spec,omitempty"`
}
