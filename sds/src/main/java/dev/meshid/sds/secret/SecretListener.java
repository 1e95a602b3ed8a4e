package dev.meshid.sds.secret;

/** Told about a new value of a watched secret. */
@FunctionalInterface
public interface SecretListener {

  /** {@code value} is the new current value of {@code name}. */
  void onChange(String name, SecretValue value);
}
