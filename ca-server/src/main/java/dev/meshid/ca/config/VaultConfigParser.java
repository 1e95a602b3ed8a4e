package dev.meshid.ca.config;

import dev.meshid.settings.GoDuration;

import dev.meshid.ca.config.ConfigLoader.Sourced;
import dev.meshid.ca.vault.VaultAuthMethod;
import dev.meshid.ca.vault.VaultOptions;
import dev.meshid.pki.bundle.PluginForm;
import dev.meshid.pki.id.TrustDomain;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code vault*} settings into a checked {@link VaultConfig}. Vault is the key source only when
 * {@code vaultKvPath} or {@code vaultPkiMount} is set: {@code VAULT_ADDR} and friends may well be in the
 * environment for other tools, so they select nothing by themselves. Every message names the setting, where
 * its value came from, and the fix.
 */
final class VaultConfigParser {
    private static final List<Setting> OTHER_SOURCES =
            List.of(Setting.CACERTS_DIR, Setting.SELF_SIGNED_DIR, Setting.K8S_CACERTS_SECRET);

    private final Map<Setting, Sourced> values;

    private VaultConfigParser(Map<Setting, Sourced> values) {
        this.values = values;
    }

    static Optional<VaultConfig> parse(Map<Setting, Sourced> values, TrustDomain trustDomain, Duration maxTtl)
            throws ConfigException {
        return new VaultConfigParser(values).build(trustDomain, maxTtl);
    }

    private Optional<VaultConfig> build(TrustDomain trustDomain, Duration maxTtl) throws ConfigException {
        Optional<String> kvPath = text(Setting.VAULT_KV_PATH);
        Optional<String> pkiMount = text(Setting.VAULT_PKI_MOUNT);
        if (kvPath.isPresent() && pkiMount.isPresent()) {
            throw conflict(Setting.VAULT_KV_PATH, Setting.VAULT_PKI_MOUNT, "they are the two Vault modes (a CA held in "
                    + "a KV secret, or an intermediate signed by the PKI engine); choose one");
        }
        if (kvPath.isEmpty() && pkiMount.isEmpty()) {
            requireNoVaultFlags();
            return Optional.empty();
        }
        Setting mode = kvPath.isPresent() ? Setting.VAULT_KV_PATH : Setting.VAULT_PKI_MOUNT;
        for (Setting other : OTHER_SOURCES) {
            if (text(other).isPresent()) {
                throw conflict(other, mode, "they name two different key sources; choose one");
            }
        }
        VaultOptions.Builder b = VaultOptions.builder().address(address(mode)).trustDomain(trustDomain)
                .maxWorkloadTtl(maxTtl);
        text(Setting.VAULT_NAMESPACE).ifPresent(b::namespace);
        b.caCertFile(readableFile(Setting.VAULT_CACERT, "the PEM file of the CA that signed Vault's TLS certificate")
                .orElse(null));
        VaultAuthMethod auth = auth(b);
        Optional<String> token = text(Setting.VAULT_TOKEN);
        if (token.isPresent() && token.get().equals("<redacted>")) {
            throw bad(Setting.VAULT_TOKEN, "this is the placeholder --print-config writes, not a token; set "
                    + "VAULT_TOKEN in the environment or use --vault-token-file");
        }
        Optional<String> secretId = text(Setting.VAULT_APPROLE_SECRET_ID);
        if (auth == VaultAuthMethod.APPROLE && secretId.isEmpty() && text(Setting.VAULT_APPROLE_SECRET_ID_FILE).isEmpty()) {
            throw new ConfigException(Setting.VAULT_AUTH.describe() + " = \"approle\" needs a secret ID: set "
                    + Setting.VAULT_APPROLE_SECRET_ID_FILE.describe() + " to the file holding it (or "
                    + Setting.VAULT_APPROLE_SECRET_ID.env() + " to the value)");
        }
        if (kvPath.isPresent()) {
            kv(b, kvPath.get());
        } else {
            onlyWith(Setting.VAULT_KV_FIELD, Setting.VAULT_KV_PATH);
            onlyWith(Setting.VAULT_KV_VERSION, Setting.VAULT_KV_PATH);
            b.pkiMount(pkiMount.get());
            text(Setting.VAULT_PKI_ISSUER).ifPresent(b::pkiIssuer);
            Duration ttl = positive(Setting.VAULT_PKI_TTL);
            if (ttl.compareTo(maxTtl) <= 0) {
                throw bad(Setting.VAULT_PKI_TTL, "an intermediate must outlive the longest workload certificate, but "
                        + "maxTtl (--max-ttl, MAX_WORKLOAD_CERT_TTL) is " + GoDuration.format(maxTtl) + " (from "
                        + source(Setting.MAX_TTL) + "); raise " + Setting.VAULT_PKI_TTL.key() + " (default 8760h) or "
                        + "lower maxTtl");
            }
            b.intermediateTtl(ttl);
        }
        b.refreshInterval(positive(Setting.VAULT_REFRESH));
        try {
            return Optional.of(new VaultConfig(b.build(), token, secretId));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (from " + source(mode) + ")");
        }
    }

    private URI address(Setting mode) throws ConfigException {
        Optional<String> v = text(Setting.VAULT_ADDR);
        if (v.isEmpty()) {
            throw new ConfigException(mode.describe() + " = \"" + raw(mode) + "\" (from " + source(mode) + ") needs "
                    + "Vault's address: set " + Setting.VAULT_ADDR.describe() + ", e.g. https://vault.vault.svc:8200");
        }
        try {
            URI uri = new URI(v.get());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw bad(Setting.VAULT_ADDR, "not an http(s) URL; give e.g. https://vault.vault.svc:8200");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw bad(Setting.VAULT_ADDR, "not a URL (" + e.getReason() + "); give e.g. https://vault.vault.svc:8200");
        }
    }

    private VaultAuthMethod auth(VaultOptions.Builder b) throws ConfigException {
        VaultAuthMethod auth;
        try {
            auth = VaultAuthMethod.parse(raw(Setting.VAULT_AUTH));
        } catch (IllegalArgumentException e) {
            throw bad(Setting.VAULT_AUTH, "not a login method; use token, kubernetes or approle");
        }
        b.auth(auth);
        Optional<String> mount = text(Setting.VAULT_AUTH_MOUNT);
        switch (auth) {
            case TOKEN -> {
                onlyWithAuth(Setting.VAULT_AUTH_MOUNT, "kubernetes or approle");
                b.tokenFile(path(Setting.VAULT_TOKEN_FILE).orElse(null));
            }
            case KUBERNETES -> {
                String role = required(Setting.VAULT_ROLE, "kubernetes", "the Vault role to log in as, e.g. meshid-ca");
                b.kubernetes(role, path(Setting.VAULT_KUBERNETES_TOKEN_FILE).orElse(VaultOptions.DEFAULT_KUBERNETES_TOKEN));
                mount.ifPresent(b::kubernetesMount);
            }
            case APPROLE -> {
                String roleId = required(Setting.VAULT_APPROLE_ROLE_ID, "approle",
                        "the role ID (vault read -field=role_id auth/approle/role/<name>/role-id)");
                b.approle(roleId, path(Setting.VAULT_APPROLE_SECRET_ID_FILE).orElse(null));
                mount.ifPresent(b::approleMount);
            }
        }
        return auth;
    }

    private void kv(VaultOptions.Builder b, String kvPath) throws ConfigException {
        onlyWith(Setting.VAULT_PKI_ISSUER, Setting.VAULT_PKI_MOUNT);
        if (Arrays.stream(kvPath.split("/")).filter(s -> !s.isBlank()).count() < 2) {
            throw bad(Setting.VAULT_KV_PATH, "needs a mount and a secret, as `vault kv get` takes it, e.g. "
                    + "secret/meshid/cacerts");
        }
        b.kvPath(kvPath);
        for (String item : list(Setting.VAULT_KV_FIELD)) {
            int eq = item.indexOf('=');
            String file = eq < 0 ? item : item.substring(0, eq).trim();
            String field = eq < 0 ? "" : item.substring(eq + 1).trim();
            if (field.isEmpty() || !PluginForm.allFileNames().contains(file)) {
                throw bad(Setting.VAULT_KV_FIELD, "\"" + item + "\" is not FILE=FIELD with FILE one of "
                        + PluginForm.allFileNames() + "; give e.g. ca-key.pem=tls.key");
            }
            b.kvField(file, field);
        }
        Optional<String> version = text(Setting.VAULT_KV_VERSION);
        if (version.isPresent()) {
            if (!version.get().equals("1") && !version.get().equals("2")) {
                throw bad(Setting.VAULT_KV_VERSION, "use 1 or 2 (the KV engine's version), or leave it unset to detect it");
            }
            b.kvVersion(Integer.parseInt(version.get()));
        }
    }

    /** A {@code --vault-*} flag without a mode is a mistake (the environment may hold VAULT_* for other tools). */
    private void requireNoVaultFlags() throws ConfigException {
        for (Setting s : Setting.values()) {
            if (s.key().startsWith("vault") && text(s).isPresent() && source(s).startsWith("flag ")) {
                throw bad(s, "Vault is not the key source: set " + Setting.VAULT_KV_PATH.describe() + " or "
                        + Setting.VAULT_PKI_MOUNT.describe() + ", or remove the flag");
            }
        }
    }

    private String required(Setting s, String authValue, String what) throws ConfigException {
        return text(s).orElseThrow(() -> new ConfigException(Setting.VAULT_AUTH.describe() + " = \"" + authValue
                + "\" (from " + source(Setting.VAULT_AUTH) + ") needs " + s.describe() + ": " + what));
    }

    private void onlyWith(Setting s, Setting mode) throws ConfigException {
        if (text(s).isPresent()) {
            throw bad(s, "applies only with " + mode.describe() + ", which is not set; remove it or set that mode");
        }
    }

    private void onlyWithAuth(Setting s, String auths) throws ConfigException {
        if (text(s).isPresent()) {
            throw bad(s, "applies only to --vault-auth " + auths + ", but " + Setting.VAULT_AUTH.key() + " is \""
                    + raw(Setting.VAULT_AUTH) + "\"; remove it or change the login method");
        }
    }

    private Optional<Path> readableFile(Setting s, String what) throws ConfigException {
        Optional<Path> p = path(s);
        if (p.isPresent() && !Files.isReadable(p.get())) {
            throw bad(s, "no readable file there; give " + what);
        }
        return p;
    }

    private Duration positive(Setting s) throws ConfigException {
        Duration d;
        try {
            d = GoDuration.parse(raw(s));
        } catch (IllegalArgumentException e) {
            throw bad(s, e.getMessage());
        }
        if (d.isNegative() || d.isZero()) {
            throw bad(s, "must be positive, e.g. " + s.defaultValue().orElse("30s"));
        }
        return d;
    }

    private Optional<Path> path(Setting s) throws ConfigException {
        Optional<String> v = text(s);
        try {
            return v.map(Path::of);
        } catch (InvalidPathException e) {
            throw bad(s, "not a valid path: " + e.getReason());
        }
    }

    private List<String> list(Setting s) {
        return Arrays.stream(raw(s).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private Optional<String> text(Setting s) {
        String v = raw(s).trim();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private String raw(Setting s) {
        Sourced v = values.get(s);
        return v == null ? "" : v.value();
    }

    private String source(Setting s) {
        Sourced v = values.get(s);
        return v == null ? "default" : v.source();
    }

    /** Never echoes a credential's value. */
    private ConfigException bad(Setting s, String problem) {
        return ConfigException.of(s, s.secret() ? "<redacted>" : raw(s), source(s), problem);
    }

    private ConfigException conflict(Setting a, Setting b, String why) {
        return new ConfigException(a.describe() + " = \"" + raw(a) + "\" (from " + source(a) + ") and "
                + b.describe() + " = \"" + raw(b) + "\" (from " + source(b) + ") are both set; " + why);
    }
}
