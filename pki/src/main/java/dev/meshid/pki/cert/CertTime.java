package dev.meshid.pki.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Time;

/**
 * A certificate validity time as RFC 5280 §4.1.2.5 encodes it: UTCTime ({@code YYMMDDHHMMSSZ}) through 2049,
 * GeneralizedTime ({@code YYYYMMDDHHMMSSZ}) from 2050, whole seconds. The same DER BouncyCastle writes for a
 * {@code Date}, made without the {@code SimpleDateFormat} it builds (and parses back with) for every time: that
 * cost the CA more than its signature did.
 */
final class CertTime {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("uuMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int UTC_TIME_TAG = 0x17;
    private static final int GENERALIZED_TIME_TAG = 0x18;
    /** UTCTime's two-digit years stand for 1950-2049 (RFC 5280 §4.1.2.5.1). */
    private static final Instant YEAR_1950 = Instant.parse("1950-01-01T00:00:00Z");
    /** The first instant RFC 5280 wants as GeneralizedTime. */
    private static final Instant YEAR_2050 = Instant.parse("2050-01-01T00:00:00Z");
    /** UTCTime and GeneralizedTime can only write years 0000-9999. */
    private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");
    private static final Instant YEAR_0 = Instant.parse("0000-01-01T00:00:00Z");

    private CertTime() {
    }

    /** {@code at}, truncated to the second, as a certificate's Time. */
    static Time of(Instant at) {
        if (at.isBefore(YEAR_0) || !at.isBefore(YEAR_10000)) {
            throw new IllegalArgumentException("a certificate time must be within the years 0000-9999, got " + at);
        }
        boolean utc = at.isBefore(YEAR_2050) && !at.isBefore(YEAR_1950);
        String text = (utc ? UTC_TIME : GENERALIZED_TIME).format(at);
        byte[] chars = text.getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[chars.length + 2];
        der[0] = (byte) (utc ? UTC_TIME_TAG : GENERALIZED_TIME_TAG);
        der[1] = (byte) chars.length;
        System.arraycopy(chars, 0, der, 2, chars.length);
        try {
            return new Time(ASN1Primitive.fromByteArray(der));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the certificate time " + at, e);
        }
    }
}
