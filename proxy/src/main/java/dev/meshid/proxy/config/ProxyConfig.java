package dev.meshid.proxy.config;

import dev.meshid.policies.OutboundTrafficPolicy;
import dev.meshid.policies.PolicySet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The proxy's effective configuration; every default is applied in {@link Builder} (CLI.md, {@code meshid
 * proxy}). Holds no secrets: certificates come from SDS.
 *
 * @param sdsSocket the agent's SDS Unix socket
 * @param inboundAddr where peers connect ((m)TLS or plaintext, per PeerAuthentication)
 * @param appAddr the local application
 * @param inboundProtocol HTTP (per-request authorization) or TCP (per-connection)
 * @param outboundAddr where the local application sends plain HTTP for other services
 * @param routes outbound destinations by Host
 * @param policyDir Istio YAML to enforce, watched; empty enforces nothing (PERMISSIVE, allow all)
 * @param namespace the workload's namespace, for policy selection
 * @param labels the workload's labels, for policy selection
 * @param rootNamespace the mesh root namespace
 * @param outboundTrafficPolicy the mesh default for destinations outside the Sidecar host list
 * @param adminAddr health and metrics
 * @param accessLog where access log lines go
 * @param tlsEngine which TLS implementation to use
 * @param tlsMinVersion {@code TLSv1.3} (default) or {@code TLSv1.2}
 * @param outboundKeepAlive whether upstream mTLS connections are pooled (off: one handshake per request)
 * @param policyPollInterval how often the policy directory is checked for changes
 * @param ioThreads event-loop threads; 0 means one per core
 * @param http2 whether inbound HTTP clients may speak HTTP/2 (ALPN {@code h2}, or prior knowledge on
 *     plaintext); the app is always spoken to in HTTP/1.1
 * @param policySource files ({@code policyDir}) or the Kubernetes API
 * @param kubeconfig the Kubernetes client configuration for the Kubernetes policy source; empty: the usual
 *     discovery ({@code KUBECONFIG}, {@code ~/.kube/config}, in-cluster service account)
 * @param requestHeadersTimeout how long a new downstream connection (inbound or outbound) may take to deliver
 *     its first complete request head, TLS handshake included; slower clients are disconnected
 * @param idleTimeout how long a downstream HTTP connection may stay without a complete next request head
 *     after a response; also bounds the TLS handshake
 */
public record ProxyConfig(
    Path sdsSocket,
    HostPort inboundAddr,
    HostPort appAddr,
    InboundProtocol inboundProtocol,
    HostPort outboundAddr,
    List<Route> routes,
    Optional<Path> policyDir,
    String namespace,
    Map<String, String> labels,
    String rootNamespace,
    OutboundTrafficPolicy outboundTrafficPolicy,
    HostPort adminAddr,
    AccessLogTarget accessLog,
    TlsEngine tlsEngine,
    String tlsMinVersion,
    boolean outboundKeepAlive,
    Duration policyPollInterval,
    int ioThreads,
    boolean http2,
    PolicySourceKind policySource,
    Optional<Path> kubeconfig,
    Duration requestHeadersTimeout,
    Duration idleTimeout) {

  /** Istio's SDS socket path, as the agent uses it. */
  public static final String DEFAULT_SDS_SOCKET = "./var/run/secrets/workload-spiffe-uds/socket";

  /** Default of {@link #requestHeadersTimeout()}. */
  public static final Duration DEFAULT_REQUEST_HEADERS_TIMEOUT = Duration.ofSeconds(10);
  /** Default of {@link #idleTimeout()}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

  public ProxyConfig {
    if (requestHeadersTimeout.isNegative() || requestHeadersTimeout.isZero()
        || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("requestHeadersTimeout and idleTimeout must be positive");
    }
    Objects.requireNonNull(sdsSocket, "sdsSocket");
    Objects.requireNonNull(inboundAddr, "inboundAddr");
    Objects.requireNonNull(appAddr, "appAddr");
    Objects.requireNonNull(inboundProtocol, "inboundProtocol");
    Objects.requireNonNull(outboundAddr, "outboundAddr");
    routes = List.copyOf(routes);
    policyDir = policyDir == null ? Optional.empty() : policyDir;
    Objects.requireNonNull(namespace, "namespace");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(rootNamespace, "rootNamespace");
    Objects.requireNonNull(outboundTrafficPolicy, "outboundTrafficPolicy");
    Objects.requireNonNull(adminAddr, "adminAddr");
    Objects.requireNonNull(accessLog, "accessLog");
    Objects.requireNonNull(tlsEngine, "tlsEngine");
    if (!tlsMinVersion.equals("TLSv1.3") && !tlsMinVersion.equals("TLSv1.2")) {
      throw new IllegalArgumentException("tlsMinVersion must be TLSv1.2 or TLSv1.3: " + tlsMinVersion);
    }
    if (policyPollInterval.isNegative() || policyPollInterval.isZero()) {
      throw new IllegalArgumentException("policyPollInterval must be positive");
    }
    if (ioThreads < 0) {
      throw new IllegalArgumentException("ioThreads must be >= 0");
    }
    Objects.requireNonNull(policySource, "policySource");
    kubeconfig = kubeconfig == null ? Optional.empty() : kubeconfig;
    if (policySource == PolicySourceKind.KUBERNETES && policyDir.isPresent()) {
      throw new IllegalArgumentException("a policy directory is read only by the file policy source");
    }
  }

  /** A builder holding every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The route for {@code host} (lower case, no port), if configured. */
  public Optional<Route> route(String host) {
    for (Route r : routes) {
      if (r.host().equals(host)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The effective configuration, one {@code name: value} per line, for {@code --print-config}. */
  public String describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sds-socket", sdsSocket);
    m.put("inbound-addr", inboundAddr);
    m.put("app-addr", appAddr);
    m.put("inbound-protocol", inboundProtocol.name().toLowerCase(java.util.Locale.ROOT));
    m.put("outbound-addr", outboundAddr);
    m.put("route", routes.isEmpty() ? "(none)" : routes.stream().map(Route::toString).collect(Collectors.joining(" ")));
    m.put("policy-source", policySource.name().toLowerCase(java.util.Locale.ROOT));
    m.put("policy-dir", policyDir.map(Path::toString).orElse(policySource == PolicySourceKind.KUBERNETES ? "(none)"
        : "(none: PERMISSIVE, allow all)"));
    m.put("kubeconfig", kubeconfig.map(Path::toString).orElse("(default discovery)"));
    m.put("namespace", namespace);
    m.put("labels", labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    m.put("root-namespace", rootNamespace);
    m.put("outbound-traffic-policy", outboundTrafficPolicy);
    m.put("admin-addr", adminAddr);
    m.put("access-log", accessLog);
    m.put("tls-engine", tlsEngine.name().toLowerCase(java.util.Locale.ROOT));
    m.put("tls-min-version", tlsMinVersion);
    m.put("outbound-keepalive", outboundKeepAlive);
    m.put("policy-poll-interval", policyPollInterval.toMillis() + "ms");
    m.put("io-threads", ioThreads == 0 ? "0 (one per core)" : ioThreads);
    m.put("http2", http2);
    m.put("request-headers-timeout", requestHeadersTimeout.toMillis() + "ms");
    m.put("idle-timeout", idleTimeout.toMillis() + "ms");
    return m.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"));
  }

  /** Configuration with CLI.md's defaults; set what differs. */
  public static final class Builder {
    private Path sdsSocket = Path.of(DEFAULT_SDS_SOCKET);
    private HostPort inboundAddr = new HostPort("0.0.0.0", 15006);
    private HostPort appAddr = new HostPort("127.0.0.1", 8080);
    private InboundProtocol inboundProtocol = InboundProtocol.HTTP;
    private HostPort outboundAddr = new HostPort("127.0.0.1", 15001);
    private List<Route> routes = List.of();
    private Path policyDir;
    private String namespace = "default";
    private Map<String, String> labels = Map.of();
    private String rootNamespace = PolicySet.DEFAULT_ROOT_NAMESPACE;
    private OutboundTrafficPolicy outboundTrafficPolicy = OutboundTrafficPolicy.ALLOW_ANY;
    private HostPort adminAddr = new HostPort("127.0.0.1", 15021);
    private AccessLogTarget accessLog = new AccessLogTarget.Stdout();
    private TlsEngine tlsEngine = TlsEngine.AUTO;
    private String tlsMinVersion = "TLSv1.3";
    private boolean outboundKeepAlive = true;
    private Duration policyPollInterval = Duration.ofSeconds(1);
    private int ioThreads;
    private boolean http2 = true;
    private PolicySourceKind policySource = PolicySourceKind.FILE;
    private Path kubeconfig;
    private Duration requestHeadersTimeout = DEFAULT_REQUEST_HEADERS_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

    private Builder() {}

    public Builder sdsSocket(Path v) { this.sdsSocket = v; return this; }
    public Builder inboundAddr(HostPort v) { this.inboundAddr = v; return this; }
    public Builder appAddr(HostPort v) { this.appAddr = v; return this; }
    public Builder inboundProtocol(InboundProtocol v) { this.inboundProtocol = v; return this; }
    public Builder outboundAddr(HostPort v) { this.outboundAddr = v; return this; }
    public Builder routes(List<Route> v) { this.routes = v; return this; }
    public Builder policyDir(Path v) { this.policyDir = v; return this; }
    public Builder namespace(String v) { this.namespace = v; return this; }
    public Builder labels(Map<String, String> v) { this.labels = v; return this; }
    public Builder rootNamespace(String v) { this.rootNamespace = v; return this; }
    public Builder outboundTrafficPolicy(OutboundTrafficPolicy v) { this.outboundTrafficPolicy = v; return this; }
    public Builder adminAddr(HostPort v) { this.adminAddr = v; return this; }
    public Builder accessLog(AccessLogTarget v) { this.accessLog = v; return this; }
    public Builder tlsEngine(TlsEngine v) { this.tlsEngine = v; return this; }
    public Builder tlsMinVersion(String v) { this.tlsMinVersion = v; return this; }
    public Builder outboundKeepAlive(boolean v) { this.outboundKeepAlive = v; return this; }
    public Builder policyPollInterval(Duration v) { this.policyPollInterval = v; return this; }
    public Builder ioThreads(int v) { this.ioThreads = v; return this; }
    public Builder http2(boolean v) { this.http2 = v; return this; }
    public Builder policySource(PolicySourceKind v) { this.policySource = v; return this; }
    public Builder kubeconfig(Path v) { this.kubeconfig = v; return this; }
    public Builder requestHeadersTimeout(Duration v) { this.requestHeadersTimeout = v; return this; }
    public Builder idleTimeout(Duration v) { this.idleTimeout = v; return this; }

    public ProxyConfig build() {
      return new ProxyConfig(sdsSocket, inboundAddr, appAddr, inboundProtocol, outboundAddr, routes,
          Optional.ofNullable(policyDir), namespace, labels, rootNamespace, outboundTrafficPolicy, adminAddr,
          accessLog, tlsEngine, tlsMinVersion, outboundKeepAlive, policyPollInterval, ioThreads, http2, policySource,
          Optional.ofNullable(kubeconfig), requestHeadersTimeout, idleTimeout);
    }
  }
}
