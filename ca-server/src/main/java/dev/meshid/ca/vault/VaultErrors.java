package dev.meshid.ca.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.VaultException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Vault's answers into {@link VaultFailure}s with one clear message per case. Vault reports errors as
 * {@code {"errors": ["..."]}} with the HTTP status saying which kind (https://developer.hashicorp.com/vault/api-docs#http-status-codes).
 */
final class VaultErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY_MARKER = "Response body: ";

    private VaultErrors() {
    }

    /** The failure for a non-200 answer to {@code path}, made while doing {@code what}. */
    static VaultFailure of(String vault, int status, String body, String path, String what) {
        String errors = errors(body);
        return switch (status) {
            case 503 -> errors.contains("sealed")
                    ? new VaultFailure(VaultFailure.Kind.SEALED, "Vault at " + vault + " is sealed (HTTP 503 on "
                            + path + ": " + errors + ") while " + what + "; unseal it (vault operator unseal);"
                            + " meshid keeps retrying")
                    : unavailable(vault, status, errors, path, what);
            case 403 -> new VaultFailure(VaultFailure.Kind.PERMISSION_DENIED, "permission denied (HTTP 403 on " + path
                    + ") while " + what + ": the Vault token's policies do not allow this call, or the token is"
                    + " invalid or expired; grant the policy shown in docs/vault.md");
            case 404 -> new VaultFailure(VaultFailure.Kind.NOT_FOUND, "nothing at " + path + " (HTTP 404) while "
                    + what + ": wrong path, mount or issuer?" + (errors.isEmpty() ? "" : " Vault says: " + errors));
            case 400 -> new VaultFailure(VaultFailure.Kind.BAD_REQUEST, "Vault refused " + what + " (HTTP 400 on "
                    + path + ": " + (errors.isEmpty() ? "no reason given" : errors) + ")");
            default -> unavailable(vault, status, errors, path, what);
        };
    }

    /** The failure for an exception of the driver: an HTTP status it carries, or no answer at all. */
    static VaultFailure of(String vault, VaultException e, String path, String what) {
        int status = e.getHttpStatusCode();
        if (status > 0) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            int at = msg.indexOf(BODY_MARKER);
            return of(vault, status, at < 0 ? msg : msg.substring(at + BODY_MARKER.length()), path, what);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String cause = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return new VaultFailure(VaultFailure.Kind.UNREACHABLE, "cannot reach Vault at " + vault + " while " + what
                + " (" + cause + "); check --vault-addr / VAULT_ADDR, the network and VAULT_CACERT; meshid keeps retrying", e);
    }

    private static VaultFailure unavailable(String vault, int status, String errors, String path, String what) {
        return new VaultFailure(VaultFailure.Kind.UNAVAILABLE, "Vault at " + vault + " cannot serve " + what + " (HTTP "
                + status + " on " + path + (errors.isEmpty() ? "" : ": " + errors) + "); meshid keeps retrying");
    }

    /** The {@code errors} array joined with "; ", or a short, printable excerpt of a body that is not Vault JSON. */
    static String errors(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray()) {
                List<String> out = new ArrayList<>();
                errors.forEach(n -> out.add(n.asText().replaceAll("\\s+", " ").trim()));
                return String.join("; ", out);
            }
        } catch (java.io.IOException notJson) {
            // fall through: show an excerpt
        }
        String flat = body.replaceAll("[^\\x20-\\x7e]", " ").trim();
        return flat.length() > 120 ? flat.substring(0, 120) + "..." : flat;
    }
}
