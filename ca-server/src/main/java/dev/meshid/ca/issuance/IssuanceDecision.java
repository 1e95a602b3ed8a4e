package dev.meshid.ca.issuance;

import dev.meshid.pki.cert.SvidSpec;
import java.security.PublicKey;
import java.util.Objects;

/**
 * What the signer is told to certify: the SVID's content and the key it binds. Produced only by
 * {@link IssuancePolicy}, so everything in it has been checked.
 *
 * @param spec SPIFFE ID, lifetime (before clamping to the signer's NotAfter), backdate, DNS SANs
 * @param publicKey the key from the CSR, whose possession the CSR proved
 * @param keyType a label such as {@code EC P-256} or {@code RSA 2048}, for the audit log
 */
public record IssuanceDecision(SvidSpec spec, PublicKey publicKey, String keyType) {

    public IssuanceDecision {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(keyType, "keyType");
    }
}
