package dev.meshid.sds.secret;

/** A client asked for a secret name that no source serves. The message is safe to send to it. */
public final class UnknownSecretException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * @param name the requested name
   * @param message why it is not served, for the client
   */
  public UnknownSecretException(String name, String message) {
    super(message);
    this.name = name;
  }

  /** The resource name that was asked for. */
  public String name() {
    return name;
  }
}
