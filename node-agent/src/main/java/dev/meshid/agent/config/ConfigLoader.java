package dev.meshid.agent.config;

import dev.meshid.settings.GoDuration;
import dev.meshid.settings.HostPort;

import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.id.InvalidSpiffeIdException;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns flags and the environment into an {@link AgentConfig}: flags win over the environment, the
 * environment over the defaults of {@link AgentSetting}. Every value is checked here, once; the first bad one
 * stops the load with its name, its value and what would be valid.
 */
public final class ConfigLoader {
    private static final Set<String> TRUE = Set.of("1", "t", "true");
    private static final Set<String> FALSE = Set.of("0", "f", "false");
    private static final String OFF = "off";

    private ConfigLoader() {
    }

    /** Each setting's effective text (or absent when unset), after flags > env > defaults. */
    public static Map<AgentSetting, Optional<String>> resolve(Map<AgentSetting, String> flags,
            Map<String, String> env) {
        Map<AgentSetting, Optional<String>> out = new EnumMap<>(AgentSetting.class);
        for (AgentSetting s : AgentSetting.values()) {
            String v = flags.get(s);
            if (v == null) {
                v = env.get(s.env());
            }
            out.put(s, v != null ? Optional.of(v) : s.defaultValue());
        }
        return out;
    }

    /** Loads and checks the configuration. */
    public static AgentConfig load(Map<AgentSetting, String> flags, Map<String, String> env) throws ConfigException {
        Map<AgentSetting, Optional<String>> v = resolve(flags, env);
        HostPort caAddr = hostPort(v, AgentSetting.CA_ADDR);
        if (caAddr.port() == 0) {
            throw ConfigException.invalid(AgentSetting.CA_ADDR, caAddr.toString(), "the CA port must be 1-65535");
        }
        String serverName = v.get(AgentSetting.CA_SERVER_NAME).filter(s -> !s.isBlank()).orElse(caAddr.host());
        SpiffeId id = spiffeId(v);
        Optional<String> clusterId = v.get(AgentSetting.CLUSTER_ID).filter(s -> !s.isBlank());
        Duration ttl = positiveDuration(v, AgentSetting.SECRET_TTL);
        double ratio = number(v, AgentSetting.GRACE_RATIO);
        if (!(ratio > 0 && ratio < 1)) {
            throw ConfigException.invalid(AgentSetting.GRACE_RATIO, text(v, AgentSetting.GRACE_RATIO),
                    "expected a number between 0 and 1, exclusive, such as 0.5");
        }
        double jitter = number(v, AgentSetting.GRACE_JITTER);
        if (!(jitter >= 0 && jitter < Math.min(ratio, 1 - ratio))) {
            throw ConfigException.invalid(AgentSetting.GRACE_JITTER, text(v, AgentSetting.GRACE_JITTER),
                    "expected a number from 0 up to (not including) " + Math.min(ratio, 1 - ratio)
                            + ", i.e. min(ratio, 1 - ratio) with SECRET_GRACE_PERIOD_RATIO " + ratio);
        }
        KeyAlgorithm key = keyAlgorithm(v);
        return new AgentConfig(caAddr, serverName, id, clusterId, ttl,
                new AgentConfig.RotationSettings(ratio, jitter), key, bool(v, AgentSetting.PKCS8_KEY),
                optionalPath(v, AgentSetting.OUTPUT_CERTS), bool(v, AgentSetting.FILE_MOUNTED_CERTS),
                path(v, AgentSetting.FILE_CERTS_DIR), path(v, AgentSetting.SDS_SOCKET),
                optionalPath(v, AgentSetting.WORKLOAD_API_SOCKET), path(v, AgentSetting.TOKEN_PATH),
                path(v, AgentSetting.CA_ROOT), optionalHostPort(v, AgentSetting.ADMIN_ADDR),
                positiveDuration(v, AgentSetting.CA_DEADLINE), bool(v, AgentSetting.BUNDLE_STREAM));
    }

    private static String text(Map<AgentSetting, Optional<String>> v, AgentSetting s) {
        return v.get(s).orElse("");
    }

    private static SpiffeId spiffeId(Map<AgentSetting, Optional<String>> v) throws ConfigException {
        TrustDomain td;
        try {
            td = TrustDomain.parse(text(v, AgentSetting.TRUST_DOMAIN));
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(AgentSetting.TRUST_DOMAIN, text(v, AgentSetting.TRUST_DOMAIN),
                    e.getMessage());
        }
        for (AgentSetting s : new AgentSetting[] {AgentSetting.POD_NAMESPACE, AgentSetting.SERVICE_ACCOUNT}) {
            String seg = text(v, s);
            if (seg.isEmpty() || !seg.matches("[a-zA-Z0-9._-]+") || seg.equals(".") || seg.equals("..")) {
                throw ConfigException.invalid(s, seg,
                        "expected a non-empty Kubernetes name (letters, digits, '.', '-', '_')");
            }
        }
        try {
            return td.serviceAccount(text(v, AgentSetting.POD_NAMESPACE), text(v, AgentSetting.SERVICE_ACCOUNT));
        } catch (InvalidSpiffeIdException e) {
            throw new ConfigException("POD_NAMESPACE and SERVICE_ACCOUNT do not form a valid SPIFFE ID: "
                    + e.getMessage());
        }
    }

    private static KeyAlgorithm keyAlgorithm(Map<AgentSetting, Optional<String>> v) throws ConfigException {
        String family = text(v, AgentSetting.KEY_ALGORITHM).trim().toUpperCase(Locale.ROOT);
        if (family.isEmpty() || family.equals("ECDSA") || family.equals("EC")) {
            String curve = text(v, AgentSetting.ECC_CURVE).trim().toUpperCase(Locale.ROOT).replace("-", "");
            return switch (curve) {
                case "", "P256" -> KeyAlgorithm.EC_P256;
                case "P384" -> KeyAlgorithm.EC_P384;
                default -> throw ConfigException.invalid(AgentSetting.ECC_CURVE, text(v, AgentSetting.ECC_CURVE),
                        "expected P256 or P384");
            };
        }
        if (family.equals("RSA")) {
            String size = text(v, AgentSetting.RSA_KEY_SIZE).trim();
            return switch (size) {
                case "2048" -> KeyAlgorithm.RSA_2048;
                case "3072" -> KeyAlgorithm.RSA_3072;
                case "4096" -> KeyAlgorithm.RSA_4096;
                default -> throw ConfigException.invalid(AgentSetting.RSA_KEY_SIZE, size,
                        "expected 2048, 3072 or 4096");
            };
        }
        throw ConfigException.invalid(AgentSetting.KEY_ALGORITHM, text(v, AgentSetting.KEY_ALGORITHM),
                "expected ECDSA (the default; empty also means ECDSA) or RSA");
    }

    private static HostPort hostPort(Map<AgentSetting, Optional<String>> v, AgentSetting s) throws ConfigException {
        try {
            return HostPort.parse(text(v, s));
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(s, text(v, s), e.getMessage() + "; expected HOST:PORT such as "
                    + s.defaultValue().orElse("127.0.0.1:15020"));
        }
    }

    private static Optional<HostPort> optionalHostPort(Map<AgentSetting, Optional<String>> v, AgentSetting s)
            throws ConfigException {
        String t = text(v, s).trim();
        return t.isEmpty() || t.equalsIgnoreCase(OFF) ? Optional.empty() : Optional.of(hostPort(v, s));
    }

    private static Duration positiveDuration(Map<AgentSetting, Optional<String>> v, AgentSetting s)
            throws ConfigException {
        Duration d;
        try {
            d = GoDuration.parse(text(v, s));
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(s, text(v, s), "expected a Go duration such as 90s, 1h30m or 24h");
        }
        if (d.isZero() || d.isNegative()) {
            throw ConfigException.invalid(s, text(v, s), "expected a positive Go duration such as 90s or 24h");
        }
        return d;
    }

    private static double number(Map<AgentSetting, Optional<String>> v, AgentSetting s) throws ConfigException {
        try {
            double d = Double.parseDouble(text(v, s).trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigException.invalid(s, text(v, s), "expected a decimal number such as "
                + s.defaultValue().orElse("0.5"));
    }

    /** Go's strconv.ParseBool forms, as Istio reads its boolean settings. */
    private static boolean bool(Map<AgentSetting, Optional<String>> v, AgentSetting s) throws ConfigException {
        String t = text(v, s).trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(t)) {
            return true;
        }
        if (FALSE.contains(t)) {
            return false;
        }
        throw ConfigException.invalid(s, text(v, s), "expected true or false");
    }

    private static Path path(Map<AgentSetting, Optional<String>> v, AgentSetting s) throws ConfigException {
        String t = text(v, s).trim();
        if (t.isEmpty()) {
            throw ConfigException.invalid(s, t, "expected a file path");
        }
        try {
            return Path.of(t);
        } catch (java.nio.file.InvalidPathException e) {
            throw ConfigException.invalid(s, t, "not a usable path: " + e.getReason());
        }
    }

    private static Optional<Path> optionalPath(Map<AgentSetting, Optional<String>> v, AgentSetting s)
            throws ConfigException {
        String t = text(v, s).trim();
        return t.isEmpty() || t.equalsIgnoreCase(OFF) ? Optional.empty() : Optional.of(path(v, s));
    }
}
