package dev.meshid.pki.id;

import java.nio.charset.StandardCharsets;

/**
 * A SPIFFE trust domain name such as {@code cluster.local}: lowercase letters, digits, {@code .}, {@code -}
 * and {@code _}, at most 255 bytes. Unlike some SPIFFE libraries, an upper-case name is rejected rather than
 * silently lower-cased, so that two spellings never name the same domain.
 */
public record TrustDomain(String name) {
    /** Largest trust domain name, in bytes. */
    public static final int MAX_BYTES = 255;

    public TrustDomain {
        String rule = violation(name);
        if (rule != null) {
            throw new InvalidSpiffeIdException(name, rule);
        }
    }

    /** Parses a bare name ({@code example.org}) or a trust domain ID ({@code spiffe://example.org}). */
    public static TrustDomain parse(String nameOrId) {
        if (nameOrId != null && nameOrId.startsWith(SpiffeId.SCHEME_PREFIX)) {
            SpiffeId id = SpiffeId.parse(nameOrId);
            if (!id.path().isEmpty()) {
                throw new InvalidSpiffeIdException(nameOrId, "a trust domain has no path");
            }
            return id.trustDomain();
        }
        return new TrustDomain(nameOrId);
    }

    /** The trust domain's own SPIFFE ID, {@code spiffe://<name>}. */
    public SpiffeId id() {
        return new SpiffeId(this, "");
    }

    /** The Istio/Kubernetes workload identity {@code spiffe://<td>/ns/<namespace>/sa/<serviceAccount>}. */
    public SpiffeId serviceAccount(String namespace, String serviceAccount) {
        return new SpiffeId(this, "/ns/" + namespace + "/sa/" + serviceAccount);
    }

    @Override
    public String toString() {
        return name;
    }

    static String violation(String name) {
        if (name == null || name.isEmpty()) {
            return "the trust domain is empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "the trust domain is longer than " + MAX_BYTES + " bytes";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return "the trust domain must be lowercase (found '" + c + "')";
            }
            if (c == ':') {
                return "the trust domain may not carry a port";
            }
            if (c == '@') {
                return "the trust domain may not carry user info";
            }
            // Without a path, a query or fragment ends up in the trust domain; name the real rule.
            if (c == '?') {
                return "a SPIFFE ID may not have a query";
            }
            if (c == '#') {
                return "a SPIFFE ID may not have a fragment";
            }
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
                return "the trust domain may hold only a-z, 0-9, '.', '-' and '_' (found " + describe(c) + ")";
            }
        }
        return null;
    }

    static String describe(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }
}
