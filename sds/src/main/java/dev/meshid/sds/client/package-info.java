/**
 * An SDS client that behaves like Envoy (ACK, NACK, reconnect with backoff and jitter), and
 * channel helpers for Unix sockets. Start with {@link dev.meshid.sds.client.SdsClientBuilder}.
 */
package dev.meshid.sds.client;
