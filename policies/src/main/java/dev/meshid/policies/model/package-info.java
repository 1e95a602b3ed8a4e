/**
 * meshid's own immutable records for the Istio resources it understands, independent of how they
 * were read (YAML files or the Kubernetes API). Values are checked by the loaders, which know the
 * field paths for error messages; the records only normalise nulls to empty collections.
 */
package dev.meshid.policies.model;
