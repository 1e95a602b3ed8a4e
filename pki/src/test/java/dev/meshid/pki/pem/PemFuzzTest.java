package dev.meshid.pki.pem;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshid.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Whatever bytes arrive, PEM, certificate and private-key parsing return a value or throw
 * {@link PkiException}; no other exception or error escapes, and a refusal never quotes the key bytes it was
 * given. Under {@code mvn test} this replays the corpus in
 * {@code src/test/resources/dev/meshid/pki/pem/PemFuzzTestInputs/<method>/}. To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl pki test -Dtest=PemFuzzTest -Djazzer.instrument=org.bouncycastle.**,dev.meshid.**}.
 *
 * <p>The first byte picks the parser, so DER can be mutated directly: {@code 'C'} parses the rest as
 * certificate DER, {@code 'K'}, {@code 'R'} and {@code 'E'} wrap it as a {@code PRIVATE KEY}, {@code RSA
 * PRIVATE KEY} or {@code EC PRIVATE KEY} block; anything else makes the whole input PEM text, read both as
 * certificates and as a key. The corpus holds structural seeds only, never a real private key.
 */
class PemFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse_anyInput_throwsOnlyPkiException(byte[] data) {
        byte first = data.length == 0 ? 0 : data[0];
        byte[] rest = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        switch (first) {
            case 'C' -> certificateDer(rest);
            case 'K' -> privateKey(wrap("PRIVATE KEY", rest), rest);
            case 'R' -> privateKey(wrap("RSA PRIVATE KEY", rest), rest);
            case 'E' -> privateKey(wrap("EC PRIVATE KEY", rest), rest);
            default -> {
                String text = new String(data, StandardCharsets.ISO_8859_1);
                certificates(text);
                privateKey(text, new byte[0]);
            }
        }
    }

    private static void certificateDer(byte[] der) {
        try {
            X509Certificate cert = Pem.parseCertificate(der, "fuzz input");
            assertThat(cert.getEncoded()).isNotEmpty();
        } catch (PkiException e) {
            assertThat(e.getMessage()).startsWith("fuzz input");
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError("a parsed certificate must re-encode", e);
        }
    }

    private static void certificates(String text) {
        try {
            List<X509Certificate> certs = Pem.readCertificates(text);
            assertThat(certs).isNotEmpty();
            // What was read writes back as PEM and reads again to the same certificates.
            assertThat(Pem.readCertificates(Pem.write(certs))).isEqualTo(certs);
        } catch (PkiException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static void privateKey(String text, byte[] keyBytes) {
        try {
            assertThat(Pem.readPrivateKey(text)).isNotNull();
        } catch (PkiException e) {
            assertThat(e.getMessage()).isNotBlank();
            if (keyBytes.length >= 12) {
                assertThat(e.getMessage()).doesNotContain(Base64.getEncoder().encodeToString(keyBytes).substring(0, 16));
            }
        }
    }

    static String wrap(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
