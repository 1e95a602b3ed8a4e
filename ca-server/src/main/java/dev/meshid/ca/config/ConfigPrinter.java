package dev.meshid.ca.config;

import dev.meshid.settings.GoDuration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration as YAML, in the config file's own keys, so that the output can be saved and used
 * as a {@code --config} file. Unset optional settings are printed as {@code null}; secrets (none yet) as
 * {@code <redacted>}.
 */
public final class ConfigPrinter {
    private static final String REDACTED = "<redacted>";

    private ConfigPrinter() {
    }

    public static String toYaml(CaConfig c) {
        Map<Setting, Object> v = new LinkedHashMap<>();
        v.put(Setting.GRPC_ADDR, c.grpcAddr().toString());
        v.put(Setting.HTTP_ADDR, c.httpAddr().toString());
        v.put(Setting.TRUST_DOMAIN, c.trustDomain().name());
        v.put(Setting.CACERTS_DIR, str(c.cacertsDir()));
        v.put(Setting.SELF_SIGNED_DIR, str(c.selfSignedDir()));
        v.put(Setting.KUBECONFIG, str(c.kubeconfig()));
        v.put(Setting.K8S_CACERTS_SECRET, str(c.k8sCacertsSecret()));
        v.put(Setting.PUBLISH_ROOT_CONFIGMAP, c.publishRootConfigMap().orElse(null));
        v.put(Setting.JWKS_FILE, str(c.jwksFile()));
        v.put(Setting.JWKS_URL, str(c.jwksUrl()));
        v.put(Setting.JWT_ISSUER, c.jwtIssuer().orElse(null));
        v.put(Setting.TOKEN_AUDIENCE, c.tokenAudiences());
        v.put(Setting.TOKENREVIEW, c.tokenReview().orElse(null));
        v.put(Setting.SERVING_DNS, c.servingDns());
        v.put(Setting.DEFAULT_TTL, GoDuration.format(c.defaultTtl()));
        v.put(Setting.MAX_TTL, GoDuration.format(c.maxTtl()));
        v.put(Setting.INSECURE_PLAINTEXT, c.insecurePlaintext());
        v.put(Setting.TRUSTED_NODE_ACCOUNTS, c.trustedNodeAccounts().stream().map(Object::toString).toList());
        VaultConfigPrinter.put(v, c.vault());
        v.put(Setting.NAMESPACE, c.namespace());
        v.put(Setting.CLUSTER_ID, c.clusterId());
        v.put(Setting.ALLOW_DNS_SANS, c.allowDnsSans());
        v.put(Setting.MAX_CSR_BYTES, c.maxCsrBytes());
        v.put(Setting.ROOT_ROTATION_FRACTION, c.rootRotationFraction());
        v.put(Setting.ROOT_ROTATION_GRACE, GoDuration.format(c.rootRotationGrace()));
        v.put(Setting.MAX_IN_FLIGHT, c.maxInFlight());
        v.put(Setting.SIGNING_THREADS, c.signingThreads());
        v.put(Setting.TLS_HANDSHAKE_TIMEOUT, GoDuration.format(c.tlsHandshakeTimeout()));
        v.put(Setting.IDLE_TIMEOUT, GoDuration.format(c.idleTimeout()));
        Map<String, Object> out = new LinkedHashMap<>();
        v.forEach((s, value) -> out.put(s.key(), s.secret() && value != null ? REDACTED : value));
        try {
            return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)).writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration as YAML", e);
        }
    }

    private static String str(Optional<?> o) {
        return o.map(Object::toString).orElse(null);
    }
}
