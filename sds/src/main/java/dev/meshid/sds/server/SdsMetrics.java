package dev.meshid.sds.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one SDS server, as plain getters; the hosting service exports them to its metrics
 * registry. Thread-safe.
 */
public final class SdsMetrics {

  private final AtomicLong streamsOpened = new AtomicLong();
  private final AtomicLong activeStreams = new AtomicLong();
  private final AtomicLong responses = new AtomicLong();
  private final AtomicLong pushes = new AtomicLong();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong nacks = new AtomicLong();
  private final AtomicLong staleNonces = new AtomicLong();
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong rejectedRequests = new AtomicLong();

  void streamOpened() {
    streamsOpened.incrementAndGet();
    activeStreams.incrementAndGet();
  }

  void streamClosed() {
    activeStreams.decrementAndGet();
  }

  void response(boolean push) {
    responses.incrementAndGet();
    if (push) {
      pushes.incrementAndGet();
    }
  }

  void ack() {
    acks.incrementAndGet();
  }

  void nack() {
    nacks.incrementAndGet();
  }

  void staleNonce() {
    staleNonces.incrementAndGet();
  }

  void fetch() {
    fetches.incrementAndGet();
  }

  void rejected() {
    rejectedRequests.incrementAndGet();
  }

  /** Streams (SotW and delta) opened since start. */
  public long streamsOpened() {
    return streamsOpened.get();
  }

  /** Streams open now. */
  public long activeStreams() {
    return activeStreams.get();
  }

  /** Responses sent on streams, for any reason. */
  public long responses() {
    return responses.get();
  }

  /** Responses sent on streams because a watched secret changed. */
  public long pushes() {
    return pushes.get();
  }

  /** Requests that acknowledged the last response. */
  public long acks() {
    return acks.get();
  }

  /** Requests that rejected the last response (error_detail set). */
  public long nacks() {
    return nacks.get();
  }

  /** Requests ignored because they answered an older response. */
  public long staleNonces() {
    return staleNonces.get();
  }

  /** FetchSecrets calls answered. */
  public long fetches() {
    return fetches.get();
  }

  /** Streams and calls ended with an error status (unknown name, wrong type URL, ...). */
  public long rejectedRequests() {
    return rejectedRequests.get();
  }
}
