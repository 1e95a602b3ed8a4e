package dev.meshid.sds.server;

/**
 * How far one secret value has reached the clients: of the open streams that watch the secret, how many
 * have acknowledged that value.
 *
 * @param watching open streams subscribed to the secret
 * @param acknowledged those whose client ACKed this exact value
 */
public record AckStatus(int watching, int acknowledged) {

  public AckStatus {
    if (watching < 0 || acknowledged < 0 || acknowledged > watching) {
      throw new IllegalArgumentException("need 0 <= acknowledged <= watching, got " + acknowledged + " of "
          + watching);
    }
  }

  /** True when every watching stream acknowledged the value (also when none watches). */
  public boolean complete() {
    return acknowledged == watching;
  }
}
