// Package v1 is the Go twin of fixtures/crd/markerlang.types.ts.
// +kubebuilder:object:generate=false
// +groupName=markerlang.example.com
package v1
