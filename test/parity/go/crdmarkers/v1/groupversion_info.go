// Package v1 is the Go twin of fixtures/crd/crdmarkers.types.ts.
// +kubebuilder:object:generate=false
// +groupName=crdmarkers.example.com
package v1
