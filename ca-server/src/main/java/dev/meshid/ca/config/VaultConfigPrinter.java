package dev.meshid.ca.config;

import dev.meshid.settings.GoDuration;

import dev.meshid.ca.vault.VaultAuthMethod;
import dev.meshid.ca.vault.VaultOptions;
import java.util.Map;
import java.util.Optional;

/** The {@code vault*} settings for {@link ConfigPrinter}: credentials as given (the printer redacts them). */
final class VaultConfigPrinter {
    private VaultConfigPrinter() {
    }

    static void put(Map<Setting, Object> v, Optional<VaultConfig> vault) {
        if (vault.isEmpty()) {
            for (Setting s : Setting.values()) {
                if (s.key().startsWith("vault")) {
                    v.put(s, s.defaultValue().orElse(null));
                }
            }
            return;
        }
        VaultConfig c = vault.get();
        VaultOptions o = c.options();
        v.put(Setting.VAULT_ADDR, str(o.address()));
        v.put(Setting.VAULT_NAMESPACE, o.namespace());
        v.put(Setting.VAULT_CACERT, str(o.caCertFile()));
        v.put(Setting.VAULT_AUTH, o.auth().flagValue());
        v.put(Setting.VAULT_TOKEN_FILE, str(o.tokenFile()));
        v.put(Setting.VAULT_ROLE, o.kubernetesRole());
        v.put(Setting.VAULT_KUBERNETES_TOKEN_FILE, str(o.kubernetesTokenFile()));
        v.put(Setting.VAULT_APPROLE_ROLE_ID, o.approleRoleId());
        v.put(Setting.VAULT_APPROLE_SECRET_ID_FILE, str(o.approleSecretIdFile()));
        v.put(Setting.VAULT_AUTH_MOUNT, o.auth() == VaultAuthMethod.KUBERNETES ? o.kubernetesMount()
                : o.auth() == VaultAuthMethod.APPROLE ? o.approleMount() : null);
        v.put(Setting.VAULT_KV_PATH, o.kvPath());
        v.put(Setting.VAULT_KV_FIELD, o.kvFields().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .sorted().toList());
        v.put(Setting.VAULT_KV_VERSION, o.kvVersion());
        v.put(Setting.VAULT_PKI_MOUNT, o.pkiMount());
        v.put(Setting.VAULT_PKI_ISSUER, o.pkiIssuer());
        v.put(Setting.VAULT_PKI_TTL, o.pkiMount() == null ? null : GoDuration.format(o.intermediateTtl()));
        v.put(Setting.VAULT_REFRESH, GoDuration.format(o.refreshInterval()));
        v.put(Setting.VAULT_TOKEN, c.token().orElse(null));
        v.put(Setting.VAULT_APPROLE_SECRET_ID, c.approleSecretId().orElse(null));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
