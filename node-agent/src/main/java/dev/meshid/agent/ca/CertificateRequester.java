package dev.meshid.agent.ca;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrBuilder;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import io.grpc.Status;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Gets one new certificate: a fresh key for every certificate (never reused across rotations), a CSR whose only
 * SAN is the workload's SPIFFE URI, one CA call, and the answer checked by {@link ResponseCheck}.
 */
public final class CertificateRequester {
    private final CaClient ca;
    private final SpiffeId id;
    private final KeyAlgorithm algorithm;
    private final Duration ttl;
    private final Clock clock;

    public CertificateRequester(CaClient ca, SpiffeId id, KeyAlgorithm algorithm, Duration ttl, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.id = Objects.requireNonNull(id, "id");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The identity asked for. */
    public SpiffeId spiffeId() {
        return id;
    }

    /** Makes a key and a CSR, asks the CA, checks the answer. */
    public IssuedCertificate request() throws CaCallException {
        KeyPair keys = Keys.generate(algorithm);
        String csr;
        try {
            csr = Pem.write(CsrBuilder.forKeyPair(keys, id).build());
        } catch (PkiException e) {
            throw new CaCallException(Status.Code.INTERNAL, "cannot build the CSR: " + e.getMessage(), e);
        }
        List<String> chain = ca.createCertificate(csr, ttl);
        return ResponseCheck.check(chain, keys, id, clock.instant());
    }
}
