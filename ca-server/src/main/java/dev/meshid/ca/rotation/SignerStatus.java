package dev.meshid.ca.rotation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The CA's signing certificate and its chain.
 *
 * @param subject the signing certificate's subject DN
 * @param chainFingerprints SHA-256 fingerprints from the signing certificate up to and including its root
 * @param notAfter the earliest NotAfter of the chain (no leaf outlives it)
 * @param rootFingerprint the root the chain reaches
 */
public record SignerStatus(String subject, List<String> chainFingerprints, Instant notAfter, String rootFingerprint) {

    public SignerStatus {
        Objects.requireNonNull(subject, "subject");
        chainFingerprints = List.copyOf(chainFingerprints);
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(rootFingerprint, "rootFingerprint");
    }
}
