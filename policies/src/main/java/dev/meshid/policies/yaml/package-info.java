/**
 * Istio YAML to meshid's records. Jackson parses the YAML; the readers here walk the tree strictly
 * (unknown fields and wrong types are errors) and keep the field path for every message. The
 * Kubernetes loader reuses {@link dev.meshid.policies.yaml.ResourceConverter} on its typed objects.
 */
package dev.meshid.policies.yaml;
