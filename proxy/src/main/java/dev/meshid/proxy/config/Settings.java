package dev.meshid.proxy.config;

import dev.meshid.policies.OutboundTrafficPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses one flag's text into its value, turning any problem into a {@link ConfigException} naming it. */
public final class Settings {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

  private Settings() {}

  /** {@code parser.apply(value)}, or a ConfigException naming {@code flag} and {@code value}. */
  public static <T> T parse(String flag, String value, Function<String, T> parser) throws ConfigException {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(flag, "invalid value '" + value + "': " + e.getMessage());
    }
  }

  /** A case-insensitive enum constant, the message listing the valid ones. */
  public static <E extends Enum<E>> E oneOf(String flag, String value, Class<E> type) throws ConfigException {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return e;
      }
    }
    StringBuilder valid = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      valid.append(valid.length() == 0 ? "" : ", ").append(type == OutboundTrafficPolicy.class ? e.name()
          : e.name().toLowerCase(Locale.ROOT));
    }
    throw new ConfigException(flag, "invalid value '" + value + "'; valid: " + valid);
  }

  /** {@code k=v[,k=v]}; Kubernetes label keys. */
  public static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return labels;
    }
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + pair + "' is not k=v (e.g. app=details,version=v1)");
      }
      String key = pair.substring(0, eq).trim();
      if (!LABEL_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("'" + key + "' is not a Kubernetes label key");
      }
      if (labels.put(key, pair.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException("label '" + key + "' given twice");
      }
    }
    return labels;
  }

  /** Go's duration syntax for whole units: {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h}. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration like 500ms, 1s, 2m, 1h");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.isZero()) {
      throw new IllegalArgumentException("must be more than zero");
    }
    return d;
  }

  /** A Kubernetes namespace name (DNS label). */
  public static String namespace(String text) {
    if (text == null || !text.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException("not a Kubernetes namespace name (lower-case DNS label)");
    }
    return text;
  }
}
