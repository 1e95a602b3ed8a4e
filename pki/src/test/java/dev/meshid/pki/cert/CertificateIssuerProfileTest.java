package dev.meshid.pki.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.OpenSsl;
import dev.meshid.pki.testing.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every profile of PROTOCOLS.md §3, checked by the real openssl. */
class CertificateIssuerProfileTest {
    private static final String WORKLOAD = "spiffe://cluster.local/ns/default/sa/web";

    private final FakeClock clock = FakeClock.startingNow();

    @Test
    void selfSignedRoot_default_passesStrictVerifyWithCaProfile() {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();

        OpenSsl.Result r = OpenSsl.verify(root.cert(), List.of(), root.cert());
        String text = OpenSsl.text(root.cert());

        assertThat(r.output()).contains(": OK");
        assertThat(r.ok()).isTrue();
        assertThat(text).containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE\\n");
        assertThat(text).doesNotContain("pathlen");
        assertThat(text).containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign\\n");
        assertThat(text).contains("X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier");
        assertThat(text).contains("Issuer: O = meshid test, CN = Root CA", "Subject: O = meshid test, CN = Root CA");
        assertThat(text).doesNotContain("Subject Alternative Name", "Digital Signature");
    }

    @Test
    void selfSignedRoot_withTrustDomain_carriesUriSanWithoutPath() {
        TestPki.Issued root = TestPki.root("Root CA").rsa().trustDomain("cluster.local", false).at(clock).build();

        String text = OpenSsl.text(root.cert());

        assertThat(OpenSsl.verify(root.cert(), List.of(), root.cert()).ok()).isTrue();
        assertThat(text).containsPattern("X509v3 Subject Alternative Name: \\s+URI:spiffe://cluster.local\\n");
        assertThat(text).contains("Public-Key: (2048 bit)");
    }

    @Test
    void intermediate_default_hasPathLenZeroAndNoSans() {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        TestPki.Issued ca = root.intermediate("Intermediate CA").build();

        OpenSsl.Result r = OpenSsl.verify(root.cert(), List.of(), ca.cert());
        String text = OpenSsl.text(ca.cert());

        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(text).containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE, pathlen:0\\n");
        assertThat(text).containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign\\n");
        assertThat(text).doesNotContain("Subject Alternative Name", "Name Constraints");
        assertThat(text).contains("X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier");
    }

    @Test
    void intermediate_withUriSanNameConstraintsAndDnsSan_passesStrictVerify() {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        TestPki.Issued ca = root.intermediate("Intermediate CA").pathLen(1)
                .trustDomain("cluster.local", true).dnsSans("istiod.istio-system.svc").build();

        OpenSsl.Result r = OpenSsl.verify(root.cert(), List.of(), ca.cert());
        String text = OpenSsl.text(ca.cert());

        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(text).containsPattern("CA:TRUE, pathlen:1\\n");
        assertThat(text).containsPattern(
                "X509v3 Subject Alternative Name: \\s+URI:spiffe://cluster.local, DNS:istiod.istio-system.svc\\n");
        assertThat(text).containsPattern("X509v3 Name Constraints: critical\\s+Permitted:\\s+URI:cluster.local\\n");
    }

    @Test
    void intermediate_withUriNameConstraints_letsOpensslAcceptOwnDomainAndRejectOthers() {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        TestPki.Issued ca = root.intermediate("Intermediate CA").trustDomain("cluster.local", true).build();
        TestPki.Issued inside = ca.svid(WORKLOAD).build();
        TestPki.Issued outside = ca.svid("spiffe://evil.example/ns/default/sa/web").build();

        OpenSsl.Result ok = OpenSsl.verify(root.cert(), List.of(ca.cert()), inside.cert(), "-purpose", "sslclient");
        OpenSsl.Result bad = OpenSsl.verify(root.cert(), List.of(ca.cert()), outside.cert(), "-purpose", "sslclient");

        assertThat(ok.ok()).as(ok.output()).isTrue();
        assertThat(bad.ok()).isFalse();
        assertThat(bad.output()).containsIgnoringCase("permitted subtree violation");
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384", "RSA_2048"})
    void svid_eachKeyType_verifiesForClientAndServerWithSvidProfile(KeyAlgorithm alg) {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        TestPki.Issued ca = root.intermediate("Intermediate CA").key(alg).build();
        TestPki.Issued leaf = ca.svid(WORKLOAD).key(alg).build();

        OpenSsl.Result client = OpenSsl.verify(root.cert(), List.of(ca.cert()), leaf.cert(), "-purpose", "sslclient");
        OpenSsl.Result server = OpenSsl.verify(root.cert(), List.of(ca.cert()), leaf.cert(), "-purpose", "sslserver");
        String text = OpenSsl.text(leaf.cert());

        assertThat(client.ok()).as(client.output()).isTrue();
        assertThat(server.ok()).as(server.output()).isTrue();
        assertThat(text).containsPattern("X509v3 Basic Constraints: critical\\s+CA:FALSE\\n");
        String usage = alg.isEc() ? "Digital Signature\\n" : "Digital Signature, Key Encipherment\\n";
        assertThat(text).containsPattern("X509v3 Key Usage: critical\\s+" + usage);
        assertThat(text).containsPattern(
                "X509v3 Extended Key Usage: \\s+TLS Web Server Authentication, TLS Web Client Authentication\\n");
        assertThat(text).containsPattern("X509v3 Subject Alternative Name: critical\\s+URI:" + WORKLOAD + "\\n");
        assertThat(text).containsPattern("Subject: ?\\n");
        assertThat(text).contains("X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier");
        assertThat(text).doesNotContain("Certificate Sign", "CRL Sign", "DNS:");
        assertThat(text).contains(alg == KeyAlgorithm.EC_P256 ? "prime256v1"
                : alg == KeyAlgorithm.EC_P384 ? "secp384r1" : "Public-Key: (2048 bit)");
    }

    @Test
    void svid_withDnsSansAndSubject_keepsSanCriticalAndAddsDnsNames() {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        TestPki.Issued leaf = root.svid(WORKLOAD).subject("O=meshid test, CN=Workload")
                .dnsSans("web.default.svc", "web.default.svc.cluster.local").build();

        String text = OpenSsl.text(leaf.cert());
        OpenSsl.Result r = OpenSsl.verify(root.cert(), List.of(), leaf.cert(), "-purpose", "sslserver");

        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(text).containsPattern("X509v3 Subject Alternative Name: critical\\s+URI:" + WORKLOAD
                + ", DNS:web.default.svc, DNS:web.default.svc.cluster.local\\n");
        assertThat(text).contains("Subject: O = meshid test, CN = Workload");
    }
}
