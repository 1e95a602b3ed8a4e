package dev.meshid.pki.chain;

import dev.meshid.pki.id.SpiffeId;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chain that {@link ChainVerifier} accepted.
 *
 * @param leaf the end-entity certificate
 * @param intermediates the certificates between the leaf and the root, leaf side first (may be empty)
 * @param root the trust-bundle root the chain reached
 * @param spiffeId the leaf's SPIFFE ID, if it has exactly one URI SAN that is a valid SPIFFE ID
 */
public record VerifiedChain(X509Certificate leaf, List<X509Certificate> intermediates, X509Certificate root,
        Optional<SpiffeId> spiffeId) {

    public VerifiedChain {
        Objects.requireNonNull(leaf, "leaf");
        Objects.requireNonNull(root, "root");
        intermediates = List.copyOf(intermediates);
        spiffeId = spiffeId == null ? Optional.empty() : spiffeId;
    }
}
