/**
 * Secret values ({@link dev.meshid.sds.secret.TlsCertificate}, {@link dev.meshid.sds.secret.TrustBundle})
 * and the sources the SDS server reads them from: the {@link dev.meshid.sds.secret.SecretSource}
 * contract, an in-memory source for the node agent and tests, and a file source for
 * {@code file-cert:} and {@code file-root:} names.
 */
package dev.meshid.sds.secret;
