package dev.meshid.pki.id;

/** A string that is not a valid SPIFFE ID or trust domain; the message names the rule that was broken. */
public final class InvalidSpiffeIdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidSpiffeIdException(String input, String rule) {
        super("invalid SPIFFE ID or trust domain " + quote(input) + ": " + rule);
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "\"" + shown + "\"";
    }
}
