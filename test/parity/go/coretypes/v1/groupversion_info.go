// Package v1 is the Go twin of fixtures/crd/coretypes.types.ts.
// +kubebuilder:object:generate=false
// +groupName=coretypes.example.com
package v1
