package dev.meshid.agent.ca;

import io.grpc.Status;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a freshly issued certificate says about this host's clock. The CA backdates NotBefore (2 minutes) so that
 * small skews go unnoticed; a larger one shows up at receipt, and is handled here rather than as a broken chain:
 *
 * <ul>
 *   <li>NotBefore after this host's clock (the host is behind the CA): the certificate is accepted and checked at
 *       its NotBefore, since the CA issued it just now and peers with correct clocks accept it; a warning names the
 *       skew. Retrying would get the same answer and loop.
 *   <li>NotAfter before this host's clock (the host is ahead of the CA by more than the lifetime): the certificate
 *       is refused with FAILED_PRECONDITION, which {@link RetryPolicy} retries at its cap only: a clock needs an
 *       operator, and a quick retry would loop.
 * </ul>
 */
public final class ClockSkew {
    private ClockSkew() {
    }

    /** When to verify the chain: now, or the leaf's NotBefore when that is later (see the class comment). */
    public static Instant checkTime(X509Certificate leaf, Instant now) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        return now.isBefore(notBefore) ? notBefore : now;
    }

    /** How far the leaf's NotBefore is ahead of {@code now} (zero when it is valid already). */
    public static Duration notYetValidBy(Instant notBefore, Instant receivedAt) {
        return receivedAt.isBefore(notBefore) ? Duration.between(receivedAt, notBefore) : Duration.ZERO;
    }

    /** The warning for a leaf that is not valid yet by this host's clock, or empty. */
    public static Optional<String> notYetValidMessage(X509Certificate leaf, Instant now) {
        Duration ahead = notYetValidBy(leaf.getNotBefore().toInstant(), now);
        if (ahead.isZero()) {
            return Optional.empty();
        }
        return Optional.of("clock skew: the CA's new certificate is not valid until " + leaf.getNotBefore().toInstant()
                + ", " + ahead.toSeconds() + " s after this host's clock (" + now + "), although the CA backdates "
                + "NotBefore: this host's clock is behind the CA's by more than that. The certificate is accepted; "
                + "peers whose clocks are as far behind will refuse it until then. Fix the clock (NTP).");
    }

    /** Refuses a leaf that has expired by this host's clock, saying that the clock is the likely cause. */
    public static void refuseIfExpired(X509Certificate leaf, Instant now) throws CaCallException {
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            throw new CaCallException(Status.Code.FAILED_PRECONDITION, "clock skew: the CA's new certificate "
                    + "expired at " + notAfter + ", " + Duration.between(notAfter, now).toSeconds() + " s before this "
                    + "host's clock (" + now + "): this host's clock is ahead of the CA's by more than the certificate's "
                    + "lifetime. Fix the clock (NTP) or ask for a longer SECRET_TTL; retrying at the longest backoff.");
        }
    }
}
