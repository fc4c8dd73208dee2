package v1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// A Pod defaulter on its own Service, kept out of kube-system, on the objects that opt in:
// +kubebuilder:webhook:path=/mutate--v1-pod,mutating=true,failurePolicy=ignore,sideEffects=none,groups=core,resources=pods,verbs=create;update,versions=v1,name=mpod.admission.example.com,admissionReviewVersions=v1,matchPolicy=exact,reinvocationPolicy=ifneeded,serviceName=pod-webhooks,serviceNamespace=webhooks,servicePort=9443,patch=`{"namespaceSelector":{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"NotIn","values":["kube-system","kube-node-lease"]}]},"objectSelector":{"matchLabels":{"admission.example.com/defaulting":"enabled"}},"matchConditions":[{"name":"not-mirror-pods","expression":"!has(object.metadata.annotations) || !('kubernetes.io/config.mirror' in object.metadata.annotations)"}]}`
// +kubebuilder:webhook:url="https://gates.example.com:8443/validate",mutating=false,failurePolicy=fail,sideEffects=NoneOnDryRun,groups=admission.example.com,resources=gates,verbs=create;update;delete,versions=v1,name=vgate.admission.example.com,admissionReviewVersions=v1;v1beta1,timeoutSeconds=5
// +kubebuilder:webhook:path=/validate-admission-example-com-v1-gate,mutating=false,failurePolicy=Fail,sideEffects=None,groups=admission.example.com,resources=gates;gates/status,verbs=*,versions=v1,name=vgate-v1.admission.example.com,admissionReviewVersions=v1,timeoutSeconds=5,patch=`{"timeoutSeconds":null,"rules":[{"apiGroups":["admission.example.com"],"apiVersions":["v1"],"operations":["CREATE"],"resources":["gates"],"scope":"Namespaced"}]}`
// +kubebuilder:webhookconfiguration:mutating=true,name=pod-defaulter
// +kubebuilder:webhookconfiguration:mutating=false
//
// Grants to the default role, to a second ClusterRole and to a Role in one namespace:
// +kubebuilder:rbac:groups=core,resources=pods,verbs=get;list;watch
// +kubebuilder:rbac:groups=admission.example.com,resources=gates,verbs=get;list;watch;update
// +kubebuilder:rbac:groups=admission.example.com,resources=gates/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=coordination.k8s.io,resources=leases,verbs=get;create;update,roleName=leader-election
// +kubebuilder:rbac:groups=core,resources=events,verbs=create;patch,roleName=leader-election
// +kubebuilder:rbac:groups=core,resources=secrets,verbs=get,namespace=webhooks,roleName=cert-reader

// GateSpec is the desired state.
type GateSpec struct {
	// open tells whether the gate lets requests through.
	Open *bool `json:"open,omitempty"`
}

// +kubebuilder:object:root=true

// Gate is what the webhooks guard.
type Gate struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec *GateSpec `json:"spec,omitempty"`
}
