package dev.meshid.agent.testing;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.TestPki;
import java.time.Clock;
import java.time.Duration;

/** Issued certificates made directly with {@link TestPki}, for tests that do not need the rotator. */
public final class Certs {
    private Certs() {
    }

    public static IssuedCertificate issue(TestPki.Issued ca, SpiffeId id, Duration ttl, Clock clock) {
        TestPki.Issued leaf = ca.svid(id).validFor(ttl).at(clock).build();
        return new IssuedCertificate(leaf.chainWithoutRoot(), leaf.key(), java.util.List.of(leaf.root()), id,
                clock.instant());
    }
}
