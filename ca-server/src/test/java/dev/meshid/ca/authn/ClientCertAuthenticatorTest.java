package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientCertAuthenticatorTest {
    private static final TrustDomain TD = TrustDomain.parse("cluster.local");

    private FakeClock clock;
    private TestPki.Issued root;
    private TestPki.Issued intermediate;
    private final AtomicReference<List<X509Certificate>> bundle = new AtomicReference<>();
    private ClientCertAuthenticator authenticator;

    @BeforeEach
    void setUp() {
        clock = FakeClock.at("2030-05-01T12:00:00Z");
        root = TestPki.root("Root CA").at(clock).build();
        intermediate = root.intermediate("Intermediate CA").build();
        bundle.set(List.of(root.cert()));
        authenticator = new ClientCertAuthenticator(TD, bundle::get, clock);
    }

    private Caller authenticate(List<X509Certificate> chain) throws AuthenticationException {
        return authenticator.authenticate(AuthRequest.withCertificates(chain, "10.0.0.9:5000")).orElseThrow();
    }

    private AuthenticationException refused(List<X509Certificate> chain) {
        AuthenticationException e = catchThrowableOfType(AuthenticationException.class, () -> authenticate(chain));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.authenticator()).isEqualTo("client-cert");
        return e;
    }

    @Test
    void authenticate_validSvidThroughIntermediate_givesItsSpiffeId() throws Exception {
        TestPki.Issued svid = intermediate.svid("spiffe://cluster.local/ns/shop/sa/cart").build();

        Caller caller = authenticate(svid.chainWithoutRoot());

        assertThat(caller.identity()).hasToString("spiffe://cluster.local/ns/shop/sa/cart");
        assertThat(caller.authenticator()).isEqualTo("client-cert");
        assertThat(caller.kubernetes()).isEmpty();
    }

    @Test
    void authenticate_noClientCertificate_isNotApplicable() throws Exception {
        assertThat(authenticator.authenticate(AuthRequest.withToken("t", "peer"))).isEmpty();
    }

    @Test
    void authenticate_svidFromAnotherRoot_isRefused() {
        TestPki.Issued otherRoot = TestPki.root("Other Root").at(clock).build();
        TestPki.Issued svid = otherRoot.svid("spiffe://cluster.local/ns/shop/sa/cart").build();

        assertThat(refused(svid.chainWithoutRoot()).reason()).contains("does not verify against the trust bundle");
    }

    @Test
    void authenticate_rootRemovedFromBundle_isRefusedAtOnce() throws Exception {
        TestPki.Issued svid = root.svid("spiffe://cluster.local/ns/shop/sa/cart").build();
        assertThat(authenticate(svid.chainWithoutRoot())).isNotNull();

        bundle.set(List.of(TestPki.root("New Root").at(clock).build().cert()));

        assertThat(refused(svid.chainWithoutRoot()).reason()).contains("trust bundle");
    }

    @Test
    void authenticate_expiredSvid_isRefusedNamingTheExpiry() {
        TestPki.Issued svid = root.svid("spiffe://cluster.local/ns/shop/sa/cart").validFor(Duration.ofHours(1)).build();
        clock.advance(Duration.ofHours(2));

        assertThat(refused(svid.chainWithoutRoot()).reason()).contains("expired");
    }

    @Test
    void authenticate_certificateWithoutSpiffeId_isRefused() {
        // A CA certificate carries no URI SAN: it is not an X509-SVID.
        assertThat(refused(intermediate.chainWithoutRoot()).reason()).contains("not an X509-SVID", "0 URI SANs");
    }

    @Test
    void authenticate_svidOfAnotherTrustDomain_isRefused() {
        TestPki.Issued svid = root.svid("spiffe://other.example/ns/shop/sa/cart").build();

        assertThat(refused(svid.chainWithoutRoot()).reason())
                .contains("spiffe://other.example/ns/shop/sa/cart", "not in this CA's trust domain cluster.local");
    }
}
