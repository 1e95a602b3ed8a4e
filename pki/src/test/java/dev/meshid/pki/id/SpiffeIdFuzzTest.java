package dev.meshid.pki.id;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Whatever text arrives, SPIFFE ID and trust-domain parsing return a valid value or throw
 * {@link InvalidSpiffeIdException} with a message; an accepted ID prints back to the text it came from and
 * parses again to an equal value. Under {@code mvn test} this replays the corpus in
 * {@code src/test/resources/dev/meshid/pki/id/SpiffeIdFuzzTestInputs/<method>/}. To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl pki test -Dtest=SpiffeIdFuzzTest -Djazzer.instrument=dev.meshid.**}.
 */
class SpiffeIdFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse_anyText_roundTripsOrThrowsInvalidSpiffeId(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            SpiffeId id = SpiffeId.parse(text);
            assertThat(id.toString()).isEqualTo(text);
            assertThat(SpiffeId.parse(id.toString())).isEqualTo(id);
            assertThat(id.toUri().toString()).isEqualTo(text);
            assertThat(SpiffeId.isValid(text)).isTrue();
            assertThat(id.memberOf(id.trustDomain())).isTrue();
            assertThat(id.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SpiffeId.MAX_BYTES);
        } catch (InvalidSpiffeIdException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(SpiffeId.isValid(text)).isFalse();
        }
        try {
            TrustDomain td = TrustDomain.parse(text);
            assertThat(TrustDomain.parse(td.name())).isEqualTo(td);
            assertThat(td.id().trustDomain()).isEqualTo(td);
        } catch (InvalidSpiffeIdException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
