package dev.meshid.policies;

/** How the proxy sees the traffic it asks about; it decides which policy fields can apply. */
public enum Protocol {
  /** HTTP/1.1 or HTTP/2: method, path, host and headers are known. */
  HTTP,
  /** Opaque TCP: only connection attributes (peer, IPs, port, SNI) are known. */
  TCP
}
