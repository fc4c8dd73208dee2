// The controller-runtime twin of bench/reconcile/kubeforge-widget: for each Widget, server-side
// apply one ConfigMap owned by it, then record status.observedGeneration and a Ready condition.
// Built by bench/go-twin/build.sh into ~/.cache/kubeforge/bench/; run by bench/run.js with
// KUBECONFIG and WIDGET_WORKERS in the environment.
package main

import (
	"context"
	"os"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	metav1ac "k8s.io/client-go/applyconfigurations/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

const fieldManager = "widget-operator"

type WidgetReconciler struct {
	client.Client
}

func (r *WidgetReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var widget Widget
	if err := r.Get(ctx, req.NamespacedName, &widget); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	data := map[string]string{"size": strconv.Itoa(int(widget.Spec.Size))}
	for k, v := range widget.Spec.Data {
		data[k] = v
	}
	configMap := corev1ac.ConfigMap(widget.Name, widget.Namespace).
		WithData(data).
		WithOwnerReferences(metav1ac.OwnerReference().
			WithAPIVersion(groupVersion.String()).
			WithKind("Widget").
			WithName(widget.Name).
			WithUID(widget.UID).
			WithController(true).
			WithBlockOwnerDeletion(true))
	if err := r.Apply(ctx, configMap, client.FieldOwner(fieldManager), client.ForceOwnership); err != nil {
		return ctrl.Result{}, err
	}
	ready := meta.FindStatusCondition(widget.Status.Conditions, "Ready")
	if widget.Status.ObservedGeneration == widget.Generation && ready != nil && ready.Status == metav1.ConditionTrue {
		return ctrl.Result{}, nil
	}
	widget.Status.ObservedGeneration = widget.Generation
	meta.SetStatusCondition(&widget.Status.Conditions, metav1.Condition{
		Type:               "Ready",
		Status:             metav1.ConditionTrue,
		Reason:             "ConfigMapApplied",
		Message:            "the ConfigMap is applied",
		ObservedGeneration: widget.Generation,
	})
	return ctrl.Result{}, r.Status().Update(ctx, &widget)
}

func main() {
	ctrl.SetLogger(zap.New())
	log := ctrl.Log.WithName("widget")
	workers, err := strconv.Atoi(os.Getenv("WIDGET_WORKERS"))
	if err != nil || workers < 1 {
		workers = 1
	}
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		panic(err)
	}
	if err := addKnownTypes(scheme); err != nil {
		panic(err)
	}
	cfg := ctrl.GetConfigOrDie()
	// Unlimited client-side QPS: both operators rely on the apiserver's priority and fairness.
	cfg.QPS = -1
	cfg.Burst = 0
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		LeaderElection:         false,
	})
	if err != nil {
		log.Error(err, "creating the manager")
		os.Exit(1)
	}
	err = ctrl.NewControllerManagedBy(mgr).
		For(&Widget{}).
		Owns(&corev1.ConfigMap{}).
		WithOptions(controller.Options{MaxConcurrentReconciles: workers}).
		Complete(&WidgetReconciler{Client: mgr.GetClient()})
	if err != nil {
		log.Error(err, "creating the controller")
		os.Exit(1)
	}
	if err := mgr.Start(ctrl.SetupSignalHandler()); err != nil {
		log.Error(err, "running the manager")
		os.Exit(1)
	}
}
