package dev.meshid.agent.config;

/** A setting has a value the agent cannot use; the message names the setting, the value and what is valid. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** {@code SECRET_TTL (--secret-ttl) = "abc" is not valid: expected ...}. */
    static ConfigException invalid(AgentSetting setting, String value, String expected) {
        return new ConfigException(setting.label() + " = \"" + value + "\" is not valid: " + expected);
    }
}
