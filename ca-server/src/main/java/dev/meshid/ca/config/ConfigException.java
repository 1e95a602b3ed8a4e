package dev.meshid.ca.config;

/**
 * A configuration the CA cannot start with. The message names the setting (and where its value came from),
 * the value, and what would be valid; the command prints it as one line and exits with code 2.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** A message for {@code setting} set to {@code value} from {@code source}. */
    public static ConfigException of(Setting setting, String value, String source, String problem) {
        return new ConfigException(setting.describe() + " = \"" + value + "\" (from " + source + "): " + problem);
    }
}
