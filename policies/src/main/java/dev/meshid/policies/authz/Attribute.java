package dev.meshid.policies.authz;

/** A string-valued request attribute a policy field or condition compares. */
public enum Attribute {
  /** The peer's SPIFFE ID without {@code spiffe://}. */
  PRINCIPAL(false),
  /** The namespace in the peer's SPIFFE ID ({@code /ns/<ns>/}). */
  NAMESPACE(false),
  /** The TLS server name. */
  SNI(false),
  /** The HTTP host without a port. */
  HOST(true),
  /** The HTTP method. */
  METHOD(true),
  /** The HTTP path without the query string. */
  PATH(true),
  /** One HTTP header, by lower-case name. */
  HEADER(true);

  private final boolean httpOnly;

  Attribute(boolean httpOnly) {
    this.httpOnly = httpOnly;
  }

  /** Whether the attribute exists only for HTTP traffic. */
  public boolean httpOnly() {
    return httpOnly;
  }
}
