package dev.meshid.certs;

import java.time.Duration;
import java.time.Instant;

/** How a person reads a validity window: "expires in 23h 59m", "EXPIRED 3d ago", "not valid for 5m". */
public final class TimeLeft {
    private TimeLeft() {
    }

    /** The state of a certificate valid from {@code notBefore} to {@code notAfter}, seen at {@code now}. */
    public static String describe(Instant notBefore, Instant notAfter, Instant now) {
        if (now.isBefore(notBefore)) {
            return "NOT YET VALID, starts in " + human(Duration.between(now, notBefore));
        }
        if (!now.isBefore(notAfter)) {
            return "EXPIRED " + human(Duration.between(notAfter, now)) + " ago";
        }
        return "expires in " + human(Duration.between(now, notAfter));
    }

    /**
     * A duration in its two largest units, rounded down: {@code 3649d 23h}, {@code 23h 59m}, {@code 4m 10s},
     * {@code 12s}. A zero second unit is left out ({@code 1d}, {@code 2h}).
     */
    public static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        long minutes = s % 3_600 / 60;
        long seconds = s % 60;
        if (days > 0) {
            return pair(days, "d", hours, "h");
        }
        if (hours > 0) {
            return pair(hours, "h", minutes, "m");
        }
        if (minutes > 0) {
            return pair(minutes, "m", seconds, "s");
        }
        return seconds + "s";
    }

    private static String pair(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + majorUnit : major + majorUnit + " " + minor + minorUnit;
    }
}
