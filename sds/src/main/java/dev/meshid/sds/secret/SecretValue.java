package dev.meshid.sds.secret;

/**
 * A secret that SDS can serve: either a certificate with its private key, or a trust bundle.
 *
 * <p>Implementations are immutable values, validated when constructed, whose {@code toString} never
 * reveals private key material.
 */
public sealed interface SecretValue permits TlsCertificate, TrustBundle {}
