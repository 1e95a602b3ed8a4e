package dev.meshid.proxy.inbound;

import dev.meshid.pki.id.SpiffeId;

/**
 * The {@code X-Forwarded-Client-Cert} header as Envoy's sidecar sets it for the app (forward mode
 * SANITIZE_SET, details URI): one element of {@code key=value} pairs separated by {@code ;}, in Envoy's key
 * order: {@code By} (our own SPIFFE ID), {@code Hash} (SHA-256 of the client's certificate), {@code URI}
 * (the client's SPIFFE ID). Whatever a client sent under that name is dropped first: only the proxy
 * vouches for a peer.
 */
public final class Xfcc {
  /** The header name, lower case. */
  public static final String HEADER = "x-forwarded-client-cert";

  private Xfcc() {}

  /** The header value for a request from {@code peer} to {@code self}. */
  public static String value(SpiffeId self, PeerIdentity peer) {
    return "By=" + self + ";Hash=" + peer.certificateHash() + ";URI=" + peer.id();
  }
}
