package dev.meshid.pki.csr;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshid.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Whatever bytes arrive, CSR intake returns a {@link ParsedCsr} or throws {@link PkiException}; no other
 * exception or error may escape. Under {@code mvn test} this runs the seed corpus in
 * {@code src/test/resources/dev/meshid/pki/csr/CsrIntakeFuzzTestInputs/intake_anyInput_throwsOnlyPkiException/}
 * (regression mode). To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl pki test -Dtest=CsrIntakeFuzzTest -Djazzer.instrument=org.bouncycastle.**,dev.meshid.**}.
 *
 * <p>The first input byte picks how the rest is used, so the fuzzer can mutate DER directly as well as PEM
 * text: {@code 'D'} wraps the rest as the DER of a {@code CERTIFICATE REQUEST} block, anything else makes the
 * whole input the PEM text.
 */
class CsrIntakeFuzzTest {
    private static final CsrIntake INTAKE = new CsrIntake(new CsrLimits(16 * 1024, 20));

    @FuzzTest(maxDuration = "60s")
    void intake_anyInput_throwsOnlyPkiException(byte[] data) {
        String pem = toPem(data);
        try {
            ParsedCsr csr = INTAKE.parse(pem);
            // Anything accepted passed proof of possession, so it carries a decodable key.
            assertThat(csr.publicKey()).isNotNull();
            assertThat(csr.sanCount()).isLessThanOrEqualTo(20);
        } catch (PkiException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    static String toPem(byte[] data) {
        if (data.length > 0 && data[0] == 'D') {
            byte[] der = Arrays.copyOfRange(data, 1, data.length);
            return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                    + "\n-----END CERTIFICATE REQUEST-----\n";
        }
        return new String(data, StandardCharsets.ISO_8859_1);
    }
}
