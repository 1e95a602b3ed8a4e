package dev.meshid.agent.config;

import java.util.Map;
import java.util.Optional;

/** Prints the effective configuration for {@code --print-config}: one {@code ENV_NAME: value} line each. */
public final class ConfigPrinter {
    private ConfigPrinter() {
    }

    /**
     * The settings as YAML-ish lines (env names as keys, with the derived SPIFFE ID and key type as comments).
     * Nothing the agent is configured with is secret; the token is only a path.
     */
    public static String print(Map<AgentSetting, Optional<String>> resolved, AgentConfig config) {
        StringBuilder sb = new StringBuilder();
        sb.append("# meshid agent effective configuration (flags > environment > defaults)\n");
        sb.append("# identity: ").append(config.spiffeId()).append('\n');
        sb.append("# key: ").append(config.keyAlgorithm().label())
                .append(config.pkcs8Key() ? ", PKCS#8" : ", traditional PEM").append('\n');
        sb.append("# CA TLS server name: ").append(config.caServerName()).append('\n');
        for (Map.Entry<AgentSetting, Optional<String>> e : resolved.entrySet()) {
            sb.append(e.getKey().env()).append(": ")
                    .append(e.getValue().map(ConfigPrinter::quote).orElse("~")).append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
