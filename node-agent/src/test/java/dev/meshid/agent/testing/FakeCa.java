package dev.meshid.agent.testing;

import dev.meshid.agent.ca.CaCallException;
import dev.meshid.agent.ca.CaClient;
import dev.meshid.pki.PkiException;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process CA for unit tests: signs the CSR's public key for its SPIFFE ID with a {@link TestPki}
 * intermediate at the injected clock's time, NotBefore backdated 2 minutes like the real CA. It can be switched
 * down (answers UNAVAILABLE) and counts calls.
 */
public final class FakeCa implements CaClient {
    public final TestPki.Issued root;
    public final TestPki.Issued intermediate;
    private final Clock clock;
    private volatile boolean down;
    private volatile TestPki.Issued signer;
    private final AtomicInteger calls = new AtomicInteger();

    public FakeCa(Clock clock) {
        this.clock = clock;
        this.root = TestPki.root("Fake Root").validFor(Duration.ofDays(3650)).at(clock).build();
        this.intermediate = root.intermediate("Fake Intermediate").validFor(Duration.ofDays(3000)).at(clock).build();
        this.signer = intermediate;
    }

    public void down(boolean isDown) {
        this.down = isDown;
    }

    public int calls() {
        return calls.get();
    }

    /** Signs with another CA from now on (a CA rotation to a new root). */
    public void signWith(TestPki.Issued newSigner) {
        this.signer = newSigner;
    }

    @Override
    public List<String> createCertificate(String csrPem, Duration ttl) throws CaCallException {
        calls.incrementAndGet();
        if (down) {
            throw new CaCallException(Status.Code.UNAVAILABLE, "fake CA is down");
        }
        try {
            var csr = Pem.readCsr(csrPem);
            var key = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(csr).getPublicKey();
            var uri = csr.getRequestedExtensions().getExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName);
            var names = org.bouncycastle.asn1.x509.GeneralNames.getInstance(uri.getParsedValue()).getNames();
            String spiffe = names[0].getName().toString();
            TestPki.Issued current = signer;
            var leaf = current.svid(spiffe).keyPair(new java.security.KeyPair(key, null)).validFor(ttl).at(clock)
                    .backdate(Duration.ofMinutes(2)).build();
            List<String> out = new ArrayList<>();
            out.add(Pem.write(leaf.cert()));
            for (var c : current.chainWithoutRoot()) {
                out.add(Pem.write(c));
            }
            out.add(Pem.write(current.root()));
            return out;
        } catch (PkiException | java.security.GeneralSecurityException e) {
            throw new CaCallException(Status.Code.INVALID_ARGUMENT, "fake CA: " + e.getMessage());
        }
    }

    @Override
    public void close() {
    }
}
