package dev.meshid.ca.rotation;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import java.time.Duration;
import java.util.List;

/** An old root with its signing CA, and a newer root (one day later) with its own, on one fake clock. */
public final class TwoGenerations {
    public final FakeClock clock = FakeClock.at("2026-01-01T00:00:00Z");
    public final TestPki.Issued oldRoot = TestPki.root("Old Root").at(clock).validFor(Duration.ofDays(365)).build();
    public final TestPki.Issued oldSigning = oldRoot.intermediate("Old Signing").validFor(Duration.ofDays(180)).build();
    public final TestPki.Issued newRoot;
    public final TestPki.Issued newSigning;

    public TwoGenerations() {
        clock.advance(Duration.ofDays(1));
        newRoot = TestPki.root("New Root").at(clock).validFor(Duration.ofDays(730)).build();
        newSigning = newRoot.intermediate("New Signing").validFor(Duration.ofDays(180)).build();
    }

    public KeyCertBundle oldOnly() {
        return new KeyCertBundle(oldSigning.signer(), List.of(), new TrustBundle(List.of(oldRoot.cert())));
    }

    public KeyCertBundle oldSignerBothRoots() {
        return new KeyCertBundle(oldSigning.signer(), List.of(), new TrustBundle(List.of(oldRoot.cert(), newRoot.cert())));
    }

    public KeyCertBundle newSignerBothRoots() {
        return new KeyCertBundle(newSigning.signer(), List.of(), new TrustBundle(List.of(oldRoot.cert(), newRoot.cert())));
    }

    public KeyCertBundle newOnly() {
        return new KeyCertBundle(newSigning.signer(), List.of(), new TrustBundle(List.of(newRoot.cert())));
    }

    public String oldFp() {
        return Certs.fingerprint(oldRoot.cert());
    }

    public String newFp() {
        return Certs.fingerprint(newRoot.cert());
    }
}
