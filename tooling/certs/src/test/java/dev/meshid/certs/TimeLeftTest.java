package dev.meshid.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeLeftTest {
    private static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2025-01-02T00:00:00Z");

    @ParameterizedTest(name = "at {0}: {1}")
    @CsvSource({
        "2025-01-01T00:00:00Z, expires in 1d",
        "2025-01-01T00:01:00Z, expires in 23h 59m",
        "2025-01-01T23:55:30Z, expires in 4m 30s",
        "2025-01-01T23:59:58Z, expires in 2s",
        "2025-01-02T00:00:00Z, EXPIRED 0s ago",
        "2025-01-05T00:00:00Z, EXPIRED 3d ago",
        "2025-01-05T07:30:00Z, EXPIRED 3d 7h ago",
        "2024-12-31T23:55:00Z, 'NOT YET VALID, starts in 5m'",
    })
    void describe_validityWindowAtInstant_readsAsAPersonWouldSayIt(Instant now, String expected) {
        assertThat(TimeLeft.describe(NOT_BEFORE, NOT_AFTER, now)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "PT0S,        0s",
        "PT59S,       59s",
        "PT1H,        1h",
        "PT25H1M,     1d 1h",
        "P3650DT23H59M, 3650d 23h",
    })
    void human_duration_showsTwoLargestUnitsRoundedDown(Duration d, String expected) {
        assertThat(TimeLeft.human(d)).isEqualTo(expected);
    }
}
