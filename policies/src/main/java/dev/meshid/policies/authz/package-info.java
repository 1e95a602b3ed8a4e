/**
 * AuthorizationPolicy compiled to matcher objects, and its evaluation. Everything that can fail or
 * parse happens in {@link dev.meshid.policies.authz.PolicyCompiler}; evaluation only compares.
 * Public for the loaders and {@link dev.meshid.policies.PolicySet}; not an API for other modules.
 */
package dev.meshid.policies.authz;
