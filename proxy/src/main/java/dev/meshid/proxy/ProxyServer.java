package dev.meshid.proxy;

import dev.meshid.policies.PolicyLoadException;
import dev.meshid.policies.PolicySet;
import dev.meshid.policies.Workload;
import dev.meshid.proxy.accesslog.AccessLog;
import dev.meshid.proxy.admin.AdminInitializer;
import dev.meshid.proxy.admin.ProxyMetrics;
import dev.meshid.proxy.config.ConfigException;
import dev.meshid.proxy.config.HostPort;
import dev.meshid.proxy.config.InboundProtocol;
import dev.meshid.proxy.config.PolicySourceKind;
import dev.meshid.proxy.config.ProxyConfig;
import dev.meshid.proxy.http.ExchangeRecorder;
import dev.meshid.proxy.http.HeadDeadline;
import dev.meshid.proxy.http.Transport;
import dev.meshid.proxy.http.UpstreamPool;
import dev.meshid.proxy.inbound.InboundContext;
import dev.meshid.proxy.inbound.InboundInitializer;
import dev.meshid.proxy.outbound.OutboundContext;
import dev.meshid.proxy.outbound.OutboundInitializer;
import dev.meshid.proxy.policy.KubernetesPolicies;
import dev.meshid.proxy.policy.LivePolicies;
import dev.meshid.proxy.policy.PolicyDirWatcher;
import dev.meshid.proxy.tls.LiveTls;
import dev.meshid.proxy.tls.TlsProviders;
import dev.meshid.proxy.tls.TlsSnapshotFactory;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.client.SdsClient;
import dev.meshid.sds.client.SdsClientBuilder;
import dev.meshid.sds.client.StreamOpener;
import dev.meshid.sds.secret.SecretNames;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy, wired in one place: credentials from SDS ({@link LiveTls}), policies from a watched
 * directory or the Kubernetes API ({@link LivePolicies}), the inbound, outbound and admin listeners on one set of event loops.
 * {@link #close()} stops everything.
 */
public final class ProxyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

  private final ProxyConfig config;
  private final LiveTls tls;
  private final LivePolicies policies;
  private final ProxyMetrics metrics;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Channel> listeners = new ArrayList<>();
  private PolicyDirWatcher watcher;
  private KubernetesPolicies kubernetesPolicies;
  private InetSocketAddress inbound;
  private InetSocketAddress outbound;
  private InetSocketAddress admin;

  private ProxyServer(ProxyConfig config, LiveTls tls, LivePolicies policies, ProxyMetrics metrics) {
    this.config = config;
    this.tls = tls;
    this.policies = policies;
    this.metrics = metrics;
  }

  /**
   * Starts the proxy: loads the policies, binds the listeners, connects to SDS. Inbound TLS connections are
   * refused until the first certificate arrives.
   *
   * @throws ConfigException for invalid initial policies (names {@code --policy-dir})
   * @throws IOException when a listener cannot bind (the message names the flag)
   */
  public static ProxyServer start(ProxyConfig config, Clock clock) throws ConfigException, IOException {
    SslProvider provider = TlsProviders.choose(config.tlsEngine());
    log.info("TLS engine: {}, minimum {}", TlsProviders.describe(provider), config.tlsMinVersion());
    boolean h2 = config.http2() && config.inboundProtocol() == InboundProtocol.HTTP;
    LiveTls tls = new LiveTls(new TlsSnapshotFactory(provider, config.tlsMinVersion(), clock,
        h2 ? InboundContext.HTTP2_ALPN : List.of()));
    Workload workload = new Workload(config.namespace(), config.labels());
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meshid-proxy-timer");
      t.setDaemon(true);
      return t;
    });
    PolicyDirWatcher watcher = null;
    PolicySet initial = PolicySet.of(List.of(), config.rootNamespace());
    if (config.policyDir().isPresent()) {
      watcher = new PolicyDirWatcher(config.policyDir().get(), config.rootNamespace());
      try {
        initial = watcher.loadInitial();
      } catch (PolicyLoadException | java.io.UncheckedIOException e) {
        timer.shutdownNow();
        throw new ConfigException("--policy-dir", e.getMessage());
      }
    }
    LivePolicies policies = new LivePolicies(workload, initial);
    KubernetesPolicies kube = null;
    if (config.policySource() == PolicySourceKind.KUBERNETES) {
      try {
        kube = KubernetesPolicies.start(config.kubeconfig(), config.namespace(), config.rootNamespace(), policies);
      } catch (ConfigException | RuntimeException e) {
        timer.shutdownNow();
        throw e;
      }
    }
    ProxyMetrics metrics = new ProxyMetrics();
    metrics.watchCertificate(tls, clock);
    ProxyServer server = new ProxyServer(config, tls, policies, metrics);
    server.resources.add(timer::shutdownNow);
    if (kube != null) {
      server.kubernetesPolicies = kube;
      server.resources.add(kube);
    }
    try {
      server.wire(timer, watcher, clock);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void wire(ScheduledExecutorService timer, PolicyDirWatcher policyWatcher, Clock clock) throws IOException {
    AccessLog accessLog = AccessLog.open(config.accessLog(), timer);
    resources.add(0, accessLog);
    Transport transport = Transport.create(config.ioThreads());
    resources.add(0, transport);
    log.info("event loops: {} ({})", config.ioThreads() == 0 ? "one per core" : config.ioThreads(),
        transport.nativeEpoll() ? "epoll" : "nio");
    UpstreamPool pool = new UpstreamPool(transport, tls, metrics, config.outboundKeepAlive(),
        Duration.ofSeconds(5), Duration.ofSeconds(15));
    InboundContext in = new InboundContext(config.appAddr(), config.inboundProtocol(), tls, policies, pool,
        transport, metrics, new ExchangeRecorder(ProxyMetrics.Direction.INBOUND, accessLog, metrics, clock),
        config.http2());
    OutboundContext out = new OutboundContext(config.routes(), config.outboundTrafficPolicy(), policies, pool,
        metrics, new ExchangeRecorder(ProxyMetrics.Direction.OUTBOUND, accessLog, metrics, clock));
    HeadDeadline.Timeouts timeouts = new HeadDeadline.Timeouts(config.requestHeadersTimeout(), config.idleTimeout());
    inbound = bind(transport, "--inbound-addr", config.inboundAddr(), new InboundInitializer(in, timeouts));
    outbound = bind(transport, "--outbound-addr", config.outboundAddr(), new OutboundInitializer(out, timeouts));
    admin = bind(transport, "--admin-addr", config.adminAddr(),
        new AdminInitializer(metrics, this::notReadyReason, config::describe));
    if (policyWatcher != null) {
      watcher = policyWatcher;
      policyWatcher.start(policies, timer, config.policyPollInterval());
      resources.add(0, policyWatcher);
    }
    ManagedChannel channel = SdsChannels.unixSocket(config.sdsSocket());
    resources.add(0, channel::shutdownNow);
    SdsClient sds = new SdsClientBuilder(StreamOpener.over(channel))
        .node(Node.newBuilder().setId("sidecar~127.0.0.1~meshid-proxy." + config.namespace() + "~"
            + config.namespace() + ".svc.cluster.local").setCluster("meshid-proxy").build())
        .names(List.of(SecretNames.DEFAULT, SecretNames.ROOTCA))
        .scheduler(Scheduler.of(timer))
        .random(new SplittableRandom())
        .build();
    sds.addListener(tls);
    resources.add(0, sds);
    sds.start();
    log.info("meshid proxy: inbound {} -> app {} ({}), outbound {}, admin {}, SDS {}", inbound, config.appAddr(),
        config.inboundProtocol(), outbound, admin, config.sdsSocket());
  }

  private InetSocketAddress bind(Transport transport, String flag, HostPort address,
      ChannelInitializer<Channel> initializer) throws IOException {
    try {
      Channel ch = new ServerBootstrap().group(transport.group()).channel(transport.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 4096)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(initializer)
          .bind(address.toResolvedAddress()).sync().channel();
      listeners.add(ch);
      return (InetSocketAddress) ch.localAddress();
    } catch (Exception e) {
      throw new IOException(flag + " " + address + ": cannot listen: " + e.getMessage(), e);
    }
  }

  /** Null when ready to serve mTLS, else why not. */
  public String notReadyReason() {
    return tls.ready() ? null : "no certificate and trust bundle from SDS (" + config.sdsSocket() + ") yet";
  }

  /** The bound inbound address (the real port when 0 was asked). */
  public InetSocketAddress inboundAddress() {
    return inbound;
  }

  /** The bound outbound address. */
  public InetSocketAddress outboundAddress() {
    return outbound;
  }

  /** The bound admin address. */
  public InetSocketAddress adminAddress() {
    return admin;
  }

  /** The live credentials. */
  public LiveTls tls() {
    return tls;
  }

  /** The live policies. */
  public LivePolicies policies() {
    return policies;
  }

  /** The policy directory watcher, when a directory is configured. */
  public Optional<PolicyDirWatcher> policyWatcher() {
    return Optional.ofNullable(watcher);
  }

  /** The Kubernetes policy source, when it is the one configured. */
  public Optional<KubernetesPolicies> kubernetesPolicies() {
    return Optional.ofNullable(kubernetesPolicies);
  }

  /** The counters. */
  public ProxyMetrics metrics() {
    return metrics;
  }

  public ProxyConfig config() {
    return config;
  }

  @Override
  public void close() {
    for (Channel ch : listeners) {
      ch.close().syncUninterruptibly();
    }
    listeners.clear();
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", r, e.toString());
      }
    }
    resources.clear();
  }
}
