// Package v1 is the Go twin of fixtures/crd/validation.types.ts.
// +kubebuilder:object:generate=false
// +groupName=validation.example.com
package v1
