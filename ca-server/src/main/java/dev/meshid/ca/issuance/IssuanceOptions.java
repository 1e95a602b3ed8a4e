package dev.meshid.ca.issuance;

import dev.meshid.pki.csr.CsrLimits;
import dev.meshid.pki.id.TrustDomain;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of {@link IssuancePolicy}.
 *
 * @param trustDomain the trust domain every issued SPIFFE ID belongs to
 * @param defaultTtl lifetime when the request asks for none ({@code validity_duration <= 0}); Istio: 24h
 * @param maxTtl longest lifetime a request may ask for; above it the request is refused; Istio: 90 days
 * @param backdate how far NotBefore is set before now, for clock skew; Istio: 2 minutes
 * @param allowDnsSans whether a CSR may carry DNS SANs (copied into the SVID); off by default
 * @param csrLimits size limits applied before a CSR is parsed
 */
public record IssuanceOptions(TrustDomain trustDomain, Duration defaultTtl, Duration maxTtl, Duration backdate,
                              boolean allowDnsSans, CsrLimits csrLimits) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(2160);
    public static final Duration DEFAULT_BACKDATE = Duration.ofMinutes(2);

    public IssuanceOptions {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(backdate, "backdate");
        Objects.requireNonNull(csrLimits, "csrLimits");
        if (defaultTtl.isNegative() || defaultTtl.isZero()) {
            throw new IllegalArgumentException("the default TTL must be positive, got " + defaultTtl);
        }
        if (maxTtl.compareTo(defaultTtl) < 0) {
            throw new IllegalArgumentException("the default TTL " + defaultTtl + " is above the max TTL " + maxTtl
                    + "; lower the default TTL or raise the max TTL");
        }
        if (backdate.isNegative()) {
            throw new IllegalArgumentException("the NotBefore backdate must not be negative, got " + backdate);
        }
    }

    /** Istio's defaults for {@code trustDomain}: 24h, max 90 days, 2 minutes backdate, no DNS SANs. */
    public static IssuanceOptions defaults(TrustDomain trustDomain) {
        return new IssuanceOptions(trustDomain, DEFAULT_TTL, DEFAULT_MAX_TTL, DEFAULT_BACKDATE, false, CsrLimits.DEFAULT);
    }

    public IssuanceOptions withTtls(Duration defaultTtl, Duration maxTtl) {
        return new IssuanceOptions(trustDomain, defaultTtl, maxTtl, backdate, allowDnsSans, csrLimits);
    }

    public IssuanceOptions withDnsSans(boolean allow) {
        return new IssuanceOptions(trustDomain, defaultTtl, maxTtl, backdate, allow, csrLimits);
    }
}
