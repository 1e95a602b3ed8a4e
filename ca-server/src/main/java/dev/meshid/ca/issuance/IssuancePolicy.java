package dev.meshid.ca.issuance;

import dev.meshid.ca.CaException;
import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.csr.CsrIntake;
import dev.meshid.pki.csr.KeyPolicy;
import dev.meshid.pki.csr.ParsedCsr;
import dev.meshid.pki.id.SpiffeId;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Decides what goes into a workload certificate; pure (no clock, no I/O).
 *
 * <ul>
 *   <li>The SPIFFE ID is the caller's identity, never one taken from the CSR.</li>
 *   <li>The CSR must be well-formed and signed by its own key (proof of possession), with an EC P-256/P-384 or
 *       RSA 2048–8192 key.</li>
 *   <li>Unlike Istio, which ignores the SANs a CSR asks for, meshid checks them: at most one URI SAN, equal to
 *       the caller's identity; DNS SANs only when allowed (then copied); IP, email and other SANs never,
 *       since the X509-SVID profile has no place for them. A CSR without SANs is fine.</li>
 *   <li>The subject (istio-agent sends {@code O=<org>}, some tools a CN) is ignored: the SVID's subject is
 *       empty and its SAN extension critical.</li>
 *   <li>TTL: {@code validity_duration <= 0} means the default; above the maximum is refused. Clamping to the
 *       signer's NotAfter happens when signing, since only the signer knows it.</li>
 * </ul>
 */
public final class IssuancePolicy {
    private final IssuanceOptions options;
    private final CsrIntake intake;

    public IssuancePolicy(IssuanceOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.intake = new CsrIntake(options.csrLimits());
    }

    public IssuanceOptions options() {
        return options;
    }

    /**
     * @throws CaException {@link CaException.Kind#INVALID_TTL} or {@link CaException.Kind#INVALID_CSR}, with a
     *     message for the client
     */
    public IssuanceDecision decide(IssuanceRequest request) throws CaException {
        Duration ttl = ttl(request.validitySeconds());
        ParsedCsr csr;
        try {
            csr = intake.parse(request.csrPem());
            KeyPolicy.check(csr.publicKey());
        } catch (PkiException e) {
            throw invalid(e.getMessage());
        }
        SpiffeId identity = request.identity();
        checkUris(csr.uriSans(), identity);
        List<String> dns = csr.dnsSans();
        if (!dns.isEmpty() && !options.allowDnsSans()) {
            throw invalid("the CSR asks for DNS SANs " + dns + ", which this CA does not put in workload "
                    + "certificates; request only the URI SAN " + identity);
        }
        refuse(csr.ipSans(), "IP address", identity);
        refuse(csr.emailSans(), "email", identity);
        refuse(csr.otherSans(), "other", identity);
        SvidSpec spec;
        try {
            spec = new SvidSpec(identity, ttl, options.backdate(), dns, null);
        } catch (IllegalArgumentException e) {
            throw invalid("the CSR cannot be certified: " + e.getMessage());
        }
        return new IssuanceDecision(spec, csr.publicKey(), csr.keyFamily() + " " + keyDetail(csr));
    }

    /** The lifetime for a requested number of seconds. */
    public Duration ttl(long validitySeconds) throws CaException {
        if (validitySeconds <= 0) {
            return options.defaultTtl();
        }
        Duration max = options.maxTtl();
        if (validitySeconds > max.getSeconds()) {
            throw new CaException(CaException.Kind.INVALID_TTL, "requested TTL " + validitySeconds + "s is above "
                    + "the maximum of " + max.getSeconds() + "s (" + max.toHours() + "h); ask for a shorter validity_duration");
        }
        return Duration.ofSeconds(validitySeconds);
    }

    private static void checkUris(List<URI> uris, SpiffeId identity) throws CaException {
        if (uris.size() > 1) {
            throw invalid("the CSR asks for " + uris.size() + " URI SANs; an X509-SVID has exactly one, "
                    + identity);
        }
        for (URI uri : uris) {
            if (!identity.toString().equals(uri.toString())) {
                throw invalid("the CSR asks for URI SAN " + quote(uri.toString()) + ", but the caller is "
                        + identity + "; request a certificate for your own identity");
            }
        }
    }

    private static void refuse(List<String> sans, String type, SpiffeId identity) throws CaException {
        if (!sans.isEmpty()) {
            throw invalid("the CSR asks for " + type + " SANs " + sans.stream().map(IssuancePolicy::quote).toList()
                    + ", which workload certificates never carry; request only the URI SAN " + identity);
        }
    }

    private static String keyDetail(ParsedCsr csr) {
        return "EC".equals(csr.keyFamily()) ? "P-" + csr.keyBits() : Integer.toString(csr.keyBits());
    }

    private static CaException invalid(String message) {
        return new CaException(CaException.Kind.INVALID_CSR, message);
    }

    /** Client text in a message: shortened, with control and non-ASCII characters escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append(s.length() > 100 ? "...\"" : "\"").toString();
    }
}
