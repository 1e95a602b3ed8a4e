/**
 * Envoy SDS v3 for meshid, in three layers: {@code secret} (values and the
 * {@link dev.meshid.sds.secret.SecretSource} that notifies watchers), {@code protocol} (per-stream
 * xDS state: versions, nonces, ACK/NACK, without transport) and {@code server} (gRPC on a Unix
 * socket or TCP). {@code client} is an Envoy-like SDS client. This module carries PEM bytes only.
 */
package dev.meshid.sds;
