// Package v1 is the Go twin of fixtures/crd/schemaless.types.ts.
// +kubebuilder:object:generate=false
// +groupName=schemaless.example.com
package v1
