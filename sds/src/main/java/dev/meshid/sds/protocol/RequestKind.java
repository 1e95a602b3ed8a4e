package dev.meshid.sds.protocol;

/** How a stream classified an incoming request. */
public enum RequestKind {
  /** No nonce, or the first message of a stream: answer with every requested resource. */
  INITIAL,
  /** Carries the nonce of the last response and no error: the client applied it. */
  ACK,
  /** Carries the nonce of the last response and an error_detail: the client rejected it. */
  NACK,
  /** Carries an older nonce: superseded by a response the client has not seen yet; ignored. */
  STALE,
  /** A delta request without a nonce after the first: only a subscription change. */
  SUBSCRIPTION_CHANGE
}
