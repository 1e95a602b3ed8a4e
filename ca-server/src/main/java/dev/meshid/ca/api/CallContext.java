package dev.meshid.ca.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the transport knows about a call besides its message.
 *
 * @param authorization the {@code authorization} header, if sent (a credential: never logged)
 * @param clusterId the {@code clusterid} header, if sent
 * @param peerCertificates the TLS client certificate chain, leaf first; empty without one
 * @param peer the client's address, for logs
 */
public record CallContext(Optional<String> authorization, Optional<String> clusterId,
                          List<X509Certificate> peerCertificates, String peer) {

    public CallContext {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(clusterId, "clusterId");
        peerCertificates = List.copyOf(peerCertificates);
        peer = Objects.requireNonNullElse(peer, "unknown");
    }

    @Override
    public String toString() {
        return "CallContext[authorization=" + (authorization.isPresent() ? "present" : "absent") + ", clusterId="
                + clusterId.orElse("-") + ", certificates=" + peerCertificates.size() + ", peer=" + peer + "]";
    }
}
