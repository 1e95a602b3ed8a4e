package dev.meshid.pki.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertTimeTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T10:00:00Z", "2026-11-22T10:00:00.999999999Z", "1950-01-01T00:00:00Z",
            "1949-12-31T23:59:59Z", "2049-12-31T23:59:59.5Z", "2050-01-01T00:00:00Z", "2126-02-28T12:34:56Z",
            "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z"})
    void of_anyInstant_encodesAsBouncyCastleDoesForTheSameDate(String iso) throws Exception {
        Instant at = Instant.parse(iso);

        assertThat(CertTime.of(at).getEncoded()).isEqualTo(new Time(Date.from(at)).getEncoded());
        assertThat(CertTime.of(at).getDate().toInstant()).isEqualTo(at.truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void of_theYear2050_switchesFromUtcTimeToGeneralizedTime() throws Exception {
        assertThat(CertTime.of(Instant.parse("2049-12-31T23:59:59Z")).getEncoded()[0]).isEqualTo((byte) 0x17);
        assertThat(CertTime.of(Instant.parse("2050-01-01T00:00:00Z")).getEncoded()[0]).isEqualTo((byte) 0x18);
    }

    @Test
    void of_beyondYear9999_isRefused() {
        assertThatThrownBy(() -> CertTime.of(Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0000-9999");
    }
}
