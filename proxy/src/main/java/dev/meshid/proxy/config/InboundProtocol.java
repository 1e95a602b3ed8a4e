package dev.meshid.proxy.config;

/** What the inbound listener expects inside the (m)TLS or plaintext connection. */
public enum InboundProtocol {
  /** HTTP/1.1: authorized per request on method, path, host and headers. */
  HTTP,
  /** Opaque TCP: authorized once per connection on the peer's identity and addresses. */
  TCP
}
