package dev.meshid.sds.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * One client-side stream that records what the server sends, so a test can play the client step by
 * step. Waiting for a response is bounded; nothing here sleeps for time to pass.
 *
 * @param <Q> request type
 * @param <R> response type
 */
public final class RecordingStream<Q, R> implements StreamObserver<R>, AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final BlockingQueue<R> responses = new LinkedBlockingQueue<>();
  private final AtomicReference<Throwable> error = new AtomicReference<>();
  private volatile boolean completed;
  private final StreamObserver<Q> requests;

  /** Opens a stream with {@code open}, e.g. {@code stub::streamSecrets}. */
  public RecordingStream(Function<StreamObserver<R>, StreamObserver<Q>> open) {
    this.requests = open.apply(this);
  }

  /** Sends one request. */
  public RecordingStream<Q, R> send(Q request) {
    requests.onNext(request);
    return this;
  }

  /** The next response, failing the test if none arrives in time or the stream failed. */
  public R next() {
    try {
      R response = responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(response).as("a response within %s (stream error: %s)", WAIT, error.get()).isNotNull();
      return response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Responses received and not yet taken. */
  public int pending() {
    return responses.size();
  }

  /** Waits for the server to end the stream with an error and returns its status. */
  public Status awaitError() {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> error.get() != null);
    return Status.fromThrowable(error.get());
  }

  /** True once the server completed or failed the stream. */
  public boolean ended() {
    return completed || error.get() != null;
  }

  @Override
  public void onNext(R value) {
    responses.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error.set(t);
  }

  @Override
  public void onCompleted() {
    completed = true;
  }

  /** Half-closes the stream from the client side. */
  @Override
  public void close() {
    if (!ended()) {
      try {
        requests.onCompleted();
      } catch (IllegalStateException ignored) {
        // already closed
      }
    }
  }
}
