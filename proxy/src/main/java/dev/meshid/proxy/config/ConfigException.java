package dev.meshid.proxy.config;

/**
 * A setting with a bad value: the message names the setting, the value and what would be valid. The
 * command exits with status 2 on it.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String setting;

  public ConfigException(String setting, String message) {
    super(setting + ": " + message);
    this.setting = setting;
  }

  /** The flag name, e.g. {@code --inbound-addr}. */
  public String setting() {
    return setting;
  }
}
