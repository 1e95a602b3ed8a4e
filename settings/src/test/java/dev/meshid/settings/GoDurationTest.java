package dev.meshid.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
    @ParameterizedTest
    @CsvSource({"90s, PT1M30S", "24h, PT24H", "2160h, PT2160H", "1h30m, PT1H30M", "1.5h, PT1H30M", "300ms, PT0.3S",
        "0, PT0S", "-2m, PT-2M", "1h0m0s, PT1H", "2us, PT0.000002S"})
    void parse_goSyntax_givesTheDuration(String text, String iso) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "24", "1d", "h", "1h 30m", "1.h5", "--1h", "24H"})
    void parse_notGoSyntax_isRefusedWithExamples(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Go's syntax");
    }

    @ParameterizedTest
    @CsvSource({"PT24H, 24h", "PT2160H, 2160h", "PT1H30M, 1h30m", "PT1.5S, 1.5s", "PT0S, 0s"})
    void format_roundTrips(String iso, String go) {
        assertThat(GoDuration.format(Duration.parse(iso))).isEqualTo(go);
        assertThat(GoDuration.parse(go)).isEqualTo(Duration.parse(iso));
    }
}
