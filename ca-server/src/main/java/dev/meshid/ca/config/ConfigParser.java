package dev.meshid.ca.config;

import dev.meshid.settings.GoDuration;
import dev.meshid.settings.HostPort;

import dev.meshid.ca.config.ConfigLoader.Sourced;
import dev.meshid.pki.id.TrustDomain;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns raw setting values into a checked {@link CaConfig}; every message names the setting, value and fix. */
final class ConfigParser {
    private static final Pattern K8S_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final Map<Setting, Sourced> values;

    private ConfigParser(Map<Setting, Sourced> values) {
        this.values = values;
    }

    static CaConfig parse(Map<Setting, Sourced> values, boolean inCluster) throws ConfigException {
        return new ConfigParser(values).build(inCluster);
    }

    private CaConfig build(boolean inCluster) throws ConfigException {
        Optional<Path> cacerts = path(Setting.CACERTS_DIR);
        Optional<Path> selfSigned = path(Setting.SELF_SIGNED_DIR);
        Optional<CaConfig.SecretRef> secret = secretRef(Setting.K8S_CACERTS_SECRET);
        conflict(Setting.CACERTS_DIR, cacerts.isPresent(), Setting.SELF_SIGNED_DIR, selfSigned.isPresent());
        conflict(Setting.CACERTS_DIR, cacerts.isPresent(), Setting.K8S_CACERTS_SECRET, secret.isPresent());
        conflict(Setting.SELF_SIGNED_DIR, selfSigned.isPresent(), Setting.K8S_CACERTS_SECRET, secret.isPresent());
        Optional<Path> jwksFile = path(Setting.JWKS_FILE);
        Optional<URI> jwksUrl = url(Setting.JWKS_URL);
        conflict(Setting.JWKS_FILE, jwksFile.isPresent(), Setting.JWKS_URL, jwksUrl.isPresent());
        Optional<String> issuer = text(Setting.JWT_ISSUER);
        if ((jwksFile.isPresent() || jwksUrl.isPresent()) && issuer.isEmpty()) {
            Setting given = jwksFile.isPresent() ? Setting.JWKS_FILE : Setting.JWKS_URL;
            throw new ConfigException(given.describe() + " is set but " + Setting.JWT_ISSUER.describe() + " is not; "
                    + "set the issuer to the tokens' iss (kube-apiserver --service-account-issuer, often "
                    + "https://kubernetes.default.svc.cluster.local)");
        }
        Duration defaultTtl = duration(Setting.DEFAULT_TTL);
        Duration maxTtl = duration(Setting.MAX_TTL);
        if (defaultTtl.compareTo(maxTtl) > 0) {
            throw ConfigException.of(Setting.DEFAULT_TTL, raw(Setting.DEFAULT_TTL), source(Setting.DEFAULT_TTL),
                    "the default TTL is above the max TTL " + GoDuration.format(maxTtl) + " (" + source(Setting.MAX_TTL)
                    + "); lower " + Setting.DEFAULT_TTL.key() + " or raise " + Setting.MAX_TTL.key());
        }
        List<String> audiences = list(Setting.TOKEN_AUDIENCE);
        if (audiences.isEmpty()) {
            throw ConfigException.of(Setting.TOKEN_AUDIENCE, raw(Setting.TOKEN_AUDIENCE), source(Setting.TOKEN_AUDIENCE),
                    "no audience given; Istio agents use istio-ca");
        }
        List<String> servingDns = list(Setting.SERVING_DNS);
        for (String name : servingDns) {
            if (!name.matches("(\\*\\.)?[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?")) {
                throw ConfigException.of(Setting.SERVING_DNS, raw(Setting.SERVING_DNS), source(Setting.SERVING_DNS),
                        "\"" + name + "\" is not a DNS name; list names such as istiod.istio-system.svc");
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return new CaConfig(address(Setting.GRPC_ADDR), address(Setting.HTTP_ADDR), trustDomain(), cacerts,
                selfSigned, path(Setting.KUBECONFIG), secret, bool(Setting.PUBLISH_ROOT_CONFIGMAP), jwksFile, jwksUrl,
                issuer, audiences, bool(Setting.TOKENREVIEW), servingDns, positive(Setting.DEFAULT_TTL, defaultTtl),
                positive(Setting.MAX_TTL, maxTtl), bool(Setting.INSECURE_PLAINTEXT).orElse(false),
                k8sName(Setting.NAMESPACE), text(Setting.CLUSTER_ID).orElse("Kubernetes"),
                bool(Setting.ALLOW_DNS_SANS).orElse(false), integer(Setting.MAX_CSR_BYTES, 256, 1 << 20).orElse(65536),
                integer(Setting.MAX_IN_FLIGHT, 1, 1_000_000).orElse(128 * cores),
                integer(Setting.SIGNING_THREADS, 1, 1024).orElse(Math.max(4, 2 * cores)),
                refs(Setting.TRUSTED_NODE_ACCOUNTS, "istio-system/ztunnel"), rotationFraction(),
                rotationGrace(), VaultConfigParser.parse(values, trustDomain(), maxTtl),
                positive(Setting.TLS_HANDSHAKE_TIMEOUT, duration(Setting.TLS_HANDSHAKE_TIMEOUT)),
                notNegative(Setting.IDLE_TIMEOUT, duration(Setting.IDLE_TIMEOUT)));
    }

    private String raw(Setting s) {
        Sourced v = values.get(s);
        return v == null ? "" : v.value();
    }

    private String source(Setting s) {
        Sourced v = values.get(s);
        return v == null ? "default" : v.source();
    }

    private ConfigException bad(Setting s, String problem) {
        return ConfigException.of(s, raw(s), source(s), problem);
    }

    private Optional<String> text(Setting s) {
        String v = raw(s).trim();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private Optional<Path> path(Setting s) throws ConfigException {
        Optional<String> v = text(s);
        try {
            return v.map(Path::of);
        } catch (InvalidPathException e) {
            throw bad(s, "not a valid path: " + e.getReason());
        }
    }

    private Optional<URI> url(Setting s) throws ConfigException {
        Optional<String> v = text(s);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(v.get());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw bad(s, "not an http(s) URL; give e.g. https://issuer.example/openid/v1/jwks");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw bad(s, "not a URL: " + e.getReason());
        }
    }

    private Optional<Boolean> bool(Setting s) throws ConfigException {
        Optional<String> v = text(s);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw bad(s, "not a boolean; use true or false");
        };
    }

    private Optional<Integer> integer(Setting s, int min, int max) throws ConfigException {
        Optional<String> v = text(s);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw bad(s, "out of range; use a number from " + min + " to " + max);
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw bad(s, "not a whole number; use a number from " + min + " to " + max);
        }
    }

    private List<String> list(Setting s) {
        return Arrays.stream(raw(s).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private Duration duration(Setting s) throws ConfigException {
        try {
            return GoDuration.parse(raw(s));
        } catch (IllegalArgumentException e) {
            throw bad(s, e.getMessage());
        }
    }

    private Duration notNegative(Setting s, Duration d) throws ConfigException {
        if (d.isNegative()) {
            throw bad(s, "must not be negative; 0 turns it off");
        }
        return d;
    }

    private double rotationFraction() throws ConfigException {
        Setting s = Setting.ROOT_ROTATION_FRACTION;
        double f;
        try {
            f = Double.parseDouble(raw(s).trim());
        } catch (NumberFormatException e) {
            throw bad(s, "not a number; give the fraction of the root's life left, e.g. 0.2");
        }
        if (!(f > 0 && f < 1)) {
            throw bad(s, "must be between 0 and 1 (exclusive), e.g. 0.2 (a new root when a fifth of the old one's"
                    + " life is left)");
        }
        return f;
    }

    private Duration rotationGrace() throws ConfigException {
        Duration d = duration(Setting.ROOT_ROTATION_GRACE);
        if (d.isNegative()) {
            throw bad(Setting.ROOT_ROTATION_GRACE, "must not be negative, e.g. 24h (0s switches without waiting)");
        }
        return d;
    }

    private Duration positive(Setting s, Duration d) throws ConfigException {
        if (d.isNegative() || d.isZero()) {
            throw bad(s, "must be positive, e.g. 24h");
        }
        return d;
    }

    private HostPort address(Setting s) throws ConfigException {
        try {
            return HostPort.parseListen(raw(s));
        } catch (IllegalArgumentException e) {
            throw bad(s, e.getMessage());
        }
    }

    private TrustDomain trustDomain() throws ConfigException {
        String v = raw(Setting.TRUST_DOMAIN).trim();
        try {
            TrustDomain td = TrustDomain.parse(v);
            if (!td.name().equals(v)) {
                throw bad(Setting.TRUST_DOMAIN, "give the trust domain name alone, e.g. " + td.name());
            }
            return td;
        } catch (IllegalArgumentException e) {
            throw bad(Setting.TRUST_DOMAIN, "not a valid SPIFFE trust domain (" + e.getMessage()
                    + "); use lowercase letters, digits, '.', '-' and '_', e.g. cluster.local");
        }
    }

    private String k8sName(Setting s) throws ConfigException {
        String v = raw(s).trim();
        if (!K8S_NAME.matcher(v).matches()) {
            throw bad(s, "not a Kubernetes name; use lowercase letters, digits and '-', e.g. istio-system");
        }
        return v;
    }

    private Optional<CaConfig.SecretRef> secretRef(Setting s) throws ConfigException {
        Optional<String> v = text(s);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ref(s, v.get(), "istio-system/cacerts"));
    }

    /** A comma-separated list of {@code NAMESPACE/NAME}. */
    private List<CaConfig.SecretRef> refs(Setting s, String example) throws ConfigException {
        List<CaConfig.SecretRef> out = new java.util.ArrayList<>();
        for (String item : list(s)) {
            out.add(ref(s, item, example));
        }
        return out;
    }

    private CaConfig.SecretRef ref(Setting s, String v, String example) throws ConfigException {
        String[] parts = v.split("/", -1);
        if (parts.length != 2 || !K8S_NAME.matcher(parts[0]).matches() || !K8S_NAME.matcher(parts[1]).matches()) {
            throw bad(s, "\"" + v + "\" is not NAMESPACE/NAME; give e.g. " + example);
        }
        return new CaConfig.SecretRef(parts[0], parts[1]);
    }

    private void conflict(Setting a, boolean aSet, Setting b, boolean bSet) throws ConfigException {
        if (aSet && bSet) {
            throw new ConfigException(a.describe() + " = \"" + raw(a) + "\" (from " + source(a) + ") and "
                    + b.describe() + " = \"" + raw(b) + "\" (from " + source(b) + ") are both set; they name two "
                    + "different sources, choose one");
        }
    }
}
