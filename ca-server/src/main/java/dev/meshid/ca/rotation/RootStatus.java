package dev.meshid.ca.rotation;

import java.time.Instant;
import java.util.Objects;

/**
 * One root of the trust bundle, as the rotation sees it.
 *
 * @param fingerprint SHA-256 of the DER encoding, lowercase hex
 * @param subject the subject DN
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param signing whether the CA's signer chains to this root
 * @param noLeafDependsAfter the time after which no valid leaf issued by this CA depends on this root
 */
public record RootStatus(String fingerprint, String subject, Instant notBefore, Instant notAfter, boolean signing,
                         Instant noLeafDependsAfter) {

    public RootStatus {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(noLeafDependsAfter, "noLeafDependsAfter");
    }
}
