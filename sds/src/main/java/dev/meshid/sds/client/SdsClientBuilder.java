package dev.meshid.sds.client;

import dev.meshid.sds.Scheduler;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Configures an {@link SdsClient}. The scheduler and the random generator are required: a client
 * never uses global timers or global randomness, so tests can drive reconnects exactly.
 *
 * <pre>{@code
 * SdsClient client = new SdsClientBuilder(StreamOpener.over(SdsChannels.unixSocket(socket)))
 *     .node(Node.newBuilder().setId("proxy~10.0.0.1~app.ns~ns.svc.cluster.local").build())
 *     .names(List.of("default", "ROOTCA"))
 *     .scheduler(Scheduler.of(executor))
 *     .random(new SplittableRandom())
 *     .start();
 * }</pre>
 */
public final class SdsClientBuilder {

  /** Settings used while running. */
  record Settings(Backoff backoff, RandomGenerator random) {}

  private final StreamOpener opener;
  private Node node = Node.getDefaultInstance();
  private Set<String> names = new LinkedHashSet<>();
  private Scheduler scheduler;
  private RandomGenerator random;
  private Backoff backoff = Backoff.DEFAULT;

  /** A client that opens its streams with {@code opener}. */
  public SdsClientBuilder(StreamOpener opener) {
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  /** The node sent on the first message of every stream. */
  public SdsClientBuilder node(Node node) {
    this.node = Objects.requireNonNull(node, "node");
    return this;
  }

  /** The resource names to subscribe to, e.g. {@code default} and {@code ROOTCA}. */
  public SdsClientBuilder names(List<String> names) {
    this.names = new LinkedHashSet<>(names);
    return this;
  }

  /** Where reconnects are scheduled. */
  public SdsClientBuilder scheduler(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /** The source of backoff jitter. */
  public SdsClientBuilder random(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /** Reconnect backoff; {@link Backoff#DEFAULT} unless set. */
  public SdsClientBuilder backoff(Backoff backoff) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    return this;
  }

  /** Builds the client without opening a stream. */
  public SdsClient build() {
    if (names.isEmpty()) {
      throw new IllegalStateException("subscribe to at least one name");
    }
    Objects.requireNonNull(scheduler, "scheduler must be set");
    Objects.requireNonNull(random, "random must be set");
    return new SdsClient(opener, node, names, scheduler, new Settings(backoff, random));
  }

  /** Builds the client and opens its first stream. */
  public SdsClient start() {
    return build().start();
  }
}
