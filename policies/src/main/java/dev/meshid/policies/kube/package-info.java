/**
 * Policies from the Kubernetes API: fabric8 informers on Istio's typed resources, converted by the
 * same checks as the YAML loader into a live {@link dev.meshid.policies.PolicySet}.
 */
package dev.meshid.policies.kube;
