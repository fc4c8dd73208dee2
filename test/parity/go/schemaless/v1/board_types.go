package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Limits bounds what a board may use.
type Limits struct {
	// cpu is the processor limit.
	// +kubebuilder:validation:MinLength=1
	CPU string `json:"cpu"`
	// memory is the memory limit.
	Memory string `json:"memory,omitempty"`
}

// Address is where a board hangs.
type Address struct {
	// city of the address.
	City string `json:"city"`
	// size of the building, in floors.
	Size int32 `json:"size,omitempty"`
}

// TreeNode is a node of a tree of any depth.
type TreeNode struct {
	// name of the node.
	Name string `json:"name"`
	// children of the node, kept as sent: a CRD schema cannot recurse.
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:pruning:PreserveUnknownFields
	Children []TreeNode `json:"children,omitempty"`
}

// BoardSpec holds fields whose schema is their markers' only.
type BoardSpec struct {
	// tree is the root node.
	Tree TreeNode `json:"tree"`
	// payload is a string, a boolean or limits.
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:pruning:PreserveUnknownFields
	Payload Limits `json:"payload"`
	// setting is optional and any JSON.
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:pruning:PreserveUnknownFields
	Setting *Limits `json:"setting,omitempty"`
	// portNames maps port numbers to names.
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:pruning:PreserveUnknownFields
	// +kubebuilder:validation:Type=object
	PortNames map[int]string `json:"portNames,omitempty"`
	// located is an address whose size is a word.
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:pruning:PreserveUnknownFields
	// +kubebuilder:validation:Type=object
	Located *Address `json:"located,omitempty"`
	// rule is an expression of any depth.
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:pruning:PreserveUnknownFields
	Rule *Limits `json:"rule,omitempty"`
	// home is an address, validated.
	Home *Address `json:"home,omitempty"`
}

// +kubebuilder:object:root=true

// Board has Schemaless fields of types a CRD schema cannot express.
type Board struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec BoardSpec `json:"spec,omitempty"`
}
