// Package v1 is the Go twin of fixtures/crd/admission.types.ts.
// +kubebuilder:object:generate=false
// +groupName=admission.example.com
package v1
