package dev.meshid.ca.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link CaConfig} from four layers, each overriding the one before: defaults ({@link Setting}), the
 * YAML config file, the environment, and command-line flags. The environment is passed in as a map so that
 * tests never touch the real one. The config file is named by {@code --config} or {@code MESHID_CONFIG}.
 */
public final class ConfigLoader {
    /** The environment variable naming the config file. */
    public static final String CONFIG_ENV = "MESHID_CONFIG";
    private static final long MAX_FILE_BYTES = 1 << 20;

    /** A raw value and where it came from, for error messages. */
    record Sourced(String value, String source) {
    }

    private ConfigLoader() {
    }

    /** {@link #load(Path, Map, Map)} without a {@code --config} flag. */
    public static CaConfig load(Map<Setting, String> flags, Map<String, String> env) throws ConfigException {
        return load(null, flags, env);
    }

    /**
     * @param configFile the {@code --config} flag, or null; when null, {@code MESHID_CONFIG} in {@code env} names it
     * @param flags settings given on the command line; absent flags are not in the map
     * @param env the process environment
     */
    public static CaConfig load(Path configFile, Map<Setting, String> flags, Map<String, String> env)
            throws ConfigException {
        Map<Setting, Sourced> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            s.defaultValue().ifPresent(v -> values.put(s, new Sourced(v, "default")));
        }
        Path file = configFile;
        if (file == null && env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isBlank()) {
            file = Path.of(env.get(CONFIG_ENV));
        }
        if (file != null) {
            values.putAll(readFile(file));
        }
        for (Setting s : Setting.values()) {
            String v = env.get(s.env());
            if (v != null && !v.isEmpty()) {
                values.put(s, new Sourced(v, "environment " + s.env()));
            }
        }
        flags.forEach((s, v) -> values.put(s, new Sourced(v, "flag " + s.flag().orElse(s.key()))));
        return ConfigParser.parse(values, env.containsKey("KUBERNETES_SERVICE_HOST"));
    }

    static Map<Setting, Sourced> readFile(Path file) throws ConfigException {
        String where = "config file " + file;
        JsonNode root;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(where + " is larger than 1 MiB; is it the right file?");
            }
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(where + " cannot be read: " + firstLine(e.getMessage())
                    + "; pass a readable YAML file of settings such as 'trustDomain: cluster.local'");
        }
        Map<Setting, Sourced> out = new EnumMap<>(Setting.class);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException(where + " is not a YAML mapping of settings; write e.g. 'trustDomain: cluster.local'");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            Setting s = Setting.byKey(e.getKey()).orElseThrow(() -> new ConfigException(where + ": unknown setting \""
                    + e.getKey() + "\"; known settings: " + knownKeys()));
            if (e.getValue().isNull()) {
                continue; // "key: null" (as --print-config writes unset settings) leaves the setting unset
            }
            out.put(s, new Sourced(scalar(e.getValue(), s, where), where));
        }
        return out;
    }

    /** A scalar as text; a list of scalars joined with commas (for list settings such as servingDns). */
    private static String scalar(JsonNode node, Setting s, String where) throws ConfigException {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isValueNode()) {
                    throw new ConfigException(where + ": " + s.key() + " must be a value or a list of values");
                }
                items.add(item.asText());
            }
            return String.join(",", items);
        }
        if (!node.isValueNode()) {
            throw new ConfigException(where + ": " + s.key() + " must be a value or a list, not a mapping");
        }
        return node.asText();
    }

    private static List<String> knownKeys() {
        return java.util.Arrays.stream(Setting.values()).map(Setting::key).toList();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
