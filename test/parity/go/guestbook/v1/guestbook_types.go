package v1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// GuestbookSpec defines the desired state of Guestbook.
type GuestbookSpec struct {
	// foo is an example field of Guestbook. Edit guestbook.types.ts to remove/update.
	Foo *string `json:"foo,omitempty"`
}

// GuestbookStatus defines the observed state of Guestbook.
type GuestbookStatus struct {
	// conditions represent the current state of the Guestbook resource.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status

// Guestbook is the Schema for the guestbooks API.
type Guestbook struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   *GuestbookSpec   `json:"spec,omitempty"`
	Status *GuestbookStatus `json:"status,omitempty"`
}
