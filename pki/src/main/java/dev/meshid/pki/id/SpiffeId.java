package dev.meshid.pki.id;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A SPIFFE ID, {@code spiffe://<trust-domain><path>}, checked against every rule of the SPIFFE ID
 * specification when constructed: lowercase scheme and trust domain, path segments of
 * {@code [a-zA-Z0-9._-]} with no empty, {@code .} or {@code ..} segment and no trailing slash, no query,
 * fragment, port, user info or percent-encoding, and at most 2048 bytes in all.
 *
 * @param trustDomain the trust domain
 * @param path the path, empty (the trust domain's own ID) or starting with {@code /}
 */
public record SpiffeId(TrustDomain trustDomain, String path) {
    public static final String SCHEME_PREFIX = "spiffe://";
    /** Largest SPIFFE ID, in bytes. */
    public static final int MAX_BYTES = 2048;

    public SpiffeId {
        if (trustDomain == null) {
            throw new InvalidSpiffeIdException(null, "the trust domain is missing");
        }
        if (path == null) {
            path = "";
        }
        String rule = pathViolation(path);
        if (rule != null) {
            throw new InvalidSpiffeIdException(SCHEME_PREFIX + trustDomain.name() + path, rule);
        }
        int size = SCHEME_PREFIX.length() + trustDomain.name().length() + path.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_BYTES) {
            throw new InvalidSpiffeIdException(SCHEME_PREFIX + trustDomain.name() + path,
                    "the SPIFFE ID is longer than " + MAX_BYTES + " bytes");
        }
    }

    /** Parses {@code spiffe://<td><path>}; throws {@link InvalidSpiffeIdException} naming the broken rule. */
    public static SpiffeId parse(String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidSpiffeIdException(id, "the SPIFFE ID is empty");
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidSpiffeIdException(id, "the SPIFFE ID is longer than " + MAX_BYTES + " bytes");
        }
        if (!id.startsWith(SCHEME_PREFIX)) {
            String rule = id.regionMatches(true, 0, SCHEME_PREFIX, 0, SCHEME_PREFIX.length())
                    ? "the scheme must be lowercase \"spiffe\""
                    : "the scheme must be \"spiffe://\"";
            throw new InvalidSpiffeIdException(id, rule);
        }
        String rest = id.substring(SCHEME_PREFIX.length());
        int slash = rest.indexOf('/');
        String td = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        String rule = TrustDomain.violation(td);
        if (rule != null) {
            throw new InvalidSpiffeIdException(id, rule);
        }
        return new SpiffeId(new TrustDomain(td), path);
    }

    /** Whether {@code s} is a valid SPIFFE ID. */
    public static boolean isValid(String s) {
        try {
            parse(s);
            return true;
        } catch (InvalidSpiffeIdException e) {
            return false;
        }
    }

    /** Whether this ID names a workload (has a path) rather than a trust domain. */
    public boolean isWorkload() {
        return !path.isEmpty();
    }

    /** Whether this ID belongs to the given trust domain. */
    public boolean memberOf(TrustDomain td) {
        return trustDomain.equals(td);
    }

    public URI toUri() {
        return URI.create(toString());
    }

    @Override
    public String toString() {
        return SCHEME_PREFIX + trustDomain.name() + path;
    }

    private static String pathViolation(String path) {
        if (path.isEmpty()) {
            return null;
        }
        if (path.charAt(0) != '/') {
            return "the path must start with '/'";
        }
        if (path.endsWith("/")) {
            return "the path may not end with '/'";
        }
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String segment = path.substring(start, end);
            if (segment.isEmpty()) {
                return "the path may not contain an empty segment ('//')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "the path may not contain a '" + segment + "' segment";
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '-' || c == '_')) {
                    return switch (c) {
                        case '%' -> "the path may not be percent-encoded";
                        case '?' -> "a SPIFFE ID may not have a query";
                        case '#' -> "a SPIFFE ID may not have a fragment";
                        default -> "the path may hold only a-z, A-Z, 0-9, '.', '-' and '_' (found "
                                + TrustDomain.describe(c) + ")";
                    };
                }
            }
            start = end + 1;
        }
        return null;
    }
}
