package dev.meshid.pki.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.RawCertificates;
import dev.meshid.pki.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCertBundleTest {
    private final FakeClock clock = FakeClock.at("2030-01-01T00:00:00Z");
    private final TestPki.Issued root = TestPki.root("Root CA").at(clock).validFor(Duration.ofDays(3650)).build();
    private final TestPki.Issued ca = root.intermediate("Intermediate CA").validFor(Duration.ofDays(30)).build();

    @TempDir
    Path dir;

    /** The Istio files for a CA signed directly by the root: cert-chain = ca-cert then root. */
    private Map<String, String> istioFiles(TestPki.Issued signer) {
        Map<String, String> f = new HashMap<>();
        f.put("ca-cert.pem", Pem.write(signer.cert()));
        f.put("ca-key.pem", Pem.writePrivateKey(signer.key()));
        f.put("root-cert.pem", Pem.write(signer.root()));
        f.put("cert-chain.pem", Pem.write(signer.fullChain()));
        return f;
    }

    private void write(Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
    }

    @Test
    void load_istioFiles_givesAValidBundle() throws Exception {
        write(istioFiles(ca));

        KeyCertBundle b = KeyCertBundle.load(dir, clock);

        assertThat(b.signer().certificate()).isEqualTo(ca.cert());
        assertThat(b.signer().key()).isEqualTo(ca.key());
        assertThat(b.intermediates()).isEmpty();
        assertThat(b.roots().roots()).containsExactly(root.cert());
        assertThat(b.root()).isEqualTo(root.cert());
        assertThat(b.responseChainWithoutRoots()).containsExactly(ca.cert());
    }

    @Test
    void load_kubernetesTlsFiles_givesTheSameBundle() throws Exception {
        write(Map.of("tls.crt", Pem.write(List.of(ca.cert(), root.cert())), "tls.key",
                Pem.writeTraditionalPrivateKey(ca.key()), "ca.crt", Pem.write(root.cert())));

        KeyCertBundle b = KeyCertBundle.load(dir, clock);

        assertThat(b.signer().certificate()).isEqualTo(ca.cert());
        assertThat(b.intermediates()).isEmpty();
        assertThat(b.root()).isEqualTo(root.cert());
    }

    @Test
    void fromPem_threeLevels_keepsTheMiddleIntermediateAndRoundTripsThroughPluginFiles() throws Exception {
        TestPki.Issued sub = ca.intermediate("Sub CA").build();
        Map<String, String> files = istioFiles(sub);

        KeyCertBundle b = KeyCertBundle.fromPem(files, clock);
        Map<String, String> written = b.toPluginFiles();
        KeyCertBundle again = KeyCertBundle.fromPem(written, clock);

        assertThat(b.intermediates()).containsExactly(ca.cert());
        assertThat(b.responseChainWithoutRoots()).containsExactly(sub.cert(), ca.cert());
        assertThat(Pem.readCertificates(written.get("cert-chain.pem"))).containsExactly(sub.cert(), ca.cert(), root.cert());
        assertThat(written).containsOnlyKeys("ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem");
        assertThat(again).isEqualTo(b);
    }

    @Test
    void fromPem_selfSignedRootAsSigner_hasNoIntermediatesAndAnEmptyResponseChain() throws Exception {
        Map<String, String> files = istioFiles(root);

        KeyCertBundle b = KeyCertBundle.fromPem(files, clock);

        assertThat(b.intermediates()).isEmpty();
        assertThat(b.responseChainWithoutRoots()).isEmpty();
        assertThat(Pem.readCertificates(b.toPluginFiles().get("cert-chain.pem"))).containsExactly(root.cert());
    }

    @Test
    void fromPem_twoRootsInRootCert_isValid() throws Exception {
        TestPki.Issued next = TestPki.root("Next Root CA").at(clock).build();
        Map<String, String> files = istioFiles(ca);
        files.put("root-cert.pem", Pem.write(List.of(next.cert(), root.cert())));

        KeyCertBundle b = KeyCertBundle.fromPem(files, clock);

        assertThat(b.roots().roots()).containsExactly(next.cert(), root.cert());
        assertThat(b.root()).isEqualTo(root.cert());
    }

    @Test
    void fromPem_keyOfAnotherCa_isRefused() {
        TestPki.Issued other = root.intermediate("Other CA").build();
        Map<String, String> files = istioFiles(ca);
        files.put("ca-key.pem", Pem.writePrivateKey(other.key()));

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("ca-key.pem does not match ca-cert.pem")
                .hasMessageContaining("the private key belongs to another certificate");
    }

    @Test
    void fromPem_leafAsCaCert_isRefusedAsNotACa() {
        TestPki.Issued leaf = ca.svid("spiffe://cluster.local/ns/default/sa/web").build();
        Map<String, String> files = istioFiles(leaf);

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class)
                .hasMessage("ca-cert.pem is not a CA certificate (basicConstraints cA=false)");
    }

    @Test
    void fromPem_caWithoutKeyCertSign_isRefused() {
        java.security.KeyPair keys = dev.meshid.pki.crypto.Keys.generate(dev.meshid.pki.crypto.KeyAlgorithm.EC_P256);
        X509Certificate weak = RawCertificates.make("O=meshid test, CN=Weak CA", keys, root, java.math.BigInteger.TWO,
                b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign));
                });
        Map<String, String> files = istioFiles(ca);
        files.put("ca-cert.pem", Pem.write(weak));
        files.put("ca-key.pem", Pem.writePrivateKey(keys.getPrivate()));
        files.put("cert-chain.pem", Pem.write(List.of(weak, root.cert())));

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, FakeClock.startingNow()))
                .isInstanceOf(PkiException.class)
                .hasMessage("ca-cert.pem is a CA certificate without keyCertSign in its keyUsage; it cannot sign certificates");
    }

    @Test
    void fromPem_rootTwiceInCertChain_isRefusedAsRootDuplicated() {
        Map<String, String> files = istioFiles(ca);
        files.put("cert-chain.pem", Pem.write(List.of(ca.cert(), root.cert(), root.cert())));

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("root duplicated in cert-chain.pem: \"CN=Root CA,O=meshid test\"")
                .hasMessageContaining("PEM block #2 and again block #3");
    }

    @Test
    void fromPem_expiredIntermediate_namesTheFileAndNotAfter() {
        clock.advance(Duration.ofDays(31));

        assertThatThrownBy(() -> KeyCertBundle.fromPem(istioFiles(ca), clock))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("ca-cert.pem: the signing CA certificate \"CN=Intermediate CA,O=meshid test\"")
                .hasMessageContaining("expired at " + ca.cert().getNotAfter().toInstant());
    }

    @Test
    void fromPem_certChainNotStartingWithCaCert_isRefused() {
        Map<String, String> files = istioFiles(ca);
        files.put("cert-chain.pem", Pem.write(root.cert()));

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("cert-chain.pem must start with ca-cert.pem");
    }

    @Test
    void fromPem_chainNotReachingRootCert_isRefused() {
        TestPki.Issued other = TestPki.root("Other Root").at(clock).build();
        Map<String, String> files = istioFiles(ca);
        files.put("root-cert.pem", Pem.write(other.cert()));
        files.put("cert-chain.pem", Pem.write(ca.cert()));

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("cert-chain.pem does not reach a root in root-cert.pem")
                .hasMessageContaining("the issuer \"CN=Root CA,O=meshid test\"");
    }

    @Test
    void fromPem_certChainEndingWithAnotherRoot_isRefused() {
        TestPki.Issued other = TestPki.root("Other Root").at(clock).build();
        Map<String, String> files = istioFiles(ca);
        files.put("root-cert.pem", Pem.write(other.cert()));

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("cert-chain.pem ends with the root \"CN=Root CA,O=meshid test\"")
                .hasMessageContaining("which is not in root-cert.pem");
    }

    @Test
    void load_missingFile_namesItAndBothForms() throws Exception {
        Map<String, String> files = istioFiles(ca);
        files.remove("cert-chain.pem");
        write(files);

        assertThatThrownBy(() -> KeyCertBundle.load(dir, clock))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("incomplete plug-in CA files: missing cert-chain.pem")
                .hasMessageContaining("(Istio form)").hasMessageContaining("tls.crt, tls.key and ca.crt (Kubernetes TLS form)");
    }

    @Test
    void fromPem_partialKubernetesSet_namesTheMissingFile() {
        Map<String, String> files = Map.of("tls.crt", Pem.write(ca.cert()), "tls.key", Pem.writePrivateKey(ca.key()));

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("missing ca.crt (found tls.crt, tls.key)")
                .hasMessageContaining("a partial set is never used");
    }

    @Test
    void load_emptyDirectory_saysNoFilesFound() {
        assertThatThrownBy(() -> KeyCertBundle.load(dir, clock))
                .isInstanceOf(PkiException.class).hasMessageContaining("no plug-in CA files found");
    }

    @Test
    void fromPem_garbageInRootCert_namesTheFile() {
        Map<String, String> files = istioFiles(ca);
        files.put("root-cert.pem", "this is not a certificate\n");

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class).hasMessageStartingWith("root-cert.pem: no PEM block found");
    }

    @Test
    void fromPem_garbageInKey_namesTheFileWithoutEchoingIt() {
        Map<String, String> files = istioFiles(ca);
        String garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0c2VjcmV0c2VjcmV0\n-----END PRIVATE KEY-----\n";
        files.put("ca-key.pem", garbage);

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class).hasMessageStartingWith("ca-key.pem: ")
                .hasMessageNotContaining("c2VjcmV0c2VjcmV0");
    }

    @Test
    void fromPem_intermediateInRootCert_isRefusedAsNotARoot() {
        Map<String, String> files = istioFiles(ca);
        files.put("root-cert.pem", Pem.write(List.of(root.cert(), ca.cert())));

        assertThatThrownBy(() -> KeyCertBundle.fromPem(files, clock))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("root-cert.pem: root #2 \"CN=Intermediate CA,O=meshid test\"")
                .hasMessageContaining("is not self-signed");
    }

    @Test
    void writePluginFiles_thenLoad_givesTheSameBundleWithAnOwnerOnlyKey() throws Exception {
        KeyCertBundle b = KeyCertBundle.fromPem(istioFiles(ca), clock);

        b.writePluginFiles(dir);

        assertThat(KeyCertBundle.load(dir, clock)).isEqualTo(b);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("ca-key.pem")))).isEqualTo("rw-------");
        assertThat(b.toString()).doesNotContain(Pem.writePrivateKey(ca.key()).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void constructor_intermediatesNotReachingTheRoots_isRefused() {
        TestPki.Issued other = TestPki.root("Other Root").at(clock).build();
        X509Certificate otherRoot = other.cert();

        assertThatThrownBy(() -> new KeyCertBundle(ca.signer(), List.of(), new TrustBundle(List.of(otherRoot))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not reach any root");
    }
}
