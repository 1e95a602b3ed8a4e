package dev.meshid.proxy;

import dev.meshid.policies.OutboundTrafficPolicy;
import dev.meshid.proxy.config.AccessLogTarget;
import dev.meshid.proxy.config.ConfigException;
import dev.meshid.proxy.config.HostPort;
import dev.meshid.proxy.config.InboundProtocol;
import dev.meshid.proxy.config.PolicySourceKind;
import dev.meshid.proxy.config.ProxyConfig;
import dev.meshid.proxy.config.Route;
import dev.meshid.proxy.config.Settings;
import dev.meshid.proxy.config.TlsEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meshid proxy}: the mTLS-enforcing sidecar (CLI.md). Every flag has a {@code MESHID_*} environment
 * twin; flags win. Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
    header = "The mTLS-enforcing sidecar: certificates from SDS, Istio policies, Netty data path.",
    description = {"Inbound: (m)TLS or plaintext per PeerAuthentication, then AuthorizationPolicy, to the app.",
        "Outbound: plain HTTP from the app, mTLS to the peer proxy found by Host (--route)."},
    footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage or configuration error."})
public final class ProxyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--sds-socket", paramLabel = "PATH",
      defaultValue = "${env:MESHID_SDS_SOCKET:-" + ProxyConfig.DEFAULT_SDS_SOCKET + "}",
      description = "The agent's SDS socket (default: ${DEFAULT-VALUE}).")
  String sdsSocket;

  @Option(names = "--inbound-addr", paramLabel = "HOST:PORT", defaultValue = "${env:MESHID_INBOUND_ADDR:-0.0.0.0:15006}",
      description = "Where peers connect (default: ${DEFAULT-VALUE}).")
  String inboundAddr;

  @Option(names = "--app-addr", paramLabel = "HOST:PORT", defaultValue = "${env:MESHID_APP_ADDR:-127.0.0.1:8080}",
      description = "The local application (default: ${DEFAULT-VALUE}).")
  String appAddr;

  @Option(names = "--inbound-protocol", paramLabel = "http|tcp", defaultValue = "${env:MESHID_INBOUND_PROTOCOL:-http}",
      description = "What the app speaks (default: ${DEFAULT-VALUE}).")
  String inboundProtocol;

  @Option(names = "--outbound-addr", paramLabel = "HOST:PORT",
      defaultValue = "${env:MESHID_OUTBOUND_ADDR:-127.0.0.1:15001}",
      description = "Where the app sends plain HTTP for other services (default: ${DEFAULT-VALUE}).")
  String outboundAddr;

  @Option(names = "--route", paramLabel = "HOST=ADDR[,SPIFFE_ID]",
      description = "Outbound: where requests for Host go, and the SPIFFE ID to expect there. Repeatable.")
  List<String> routes = new ArrayList<>();

  @Option(names = "--policy-dir", paramLabel = "DIR", defaultValue = "${env:MESHID_POLICY_DIR}",
      description = "Istio YAML (PeerAuthentication, AuthorizationPolicy, Sidecar); watched.")
  String policyDir;

  @Option(names = "--policy-source", paramLabel = "file|kubernetes",
      defaultValue = "${env:MESHID_POLICY_SOURCE:-file}",
      description = "Policies from --policy-dir, or from the Kubernetes API (the namespace and the root namespace) "
          + "(default: ${DEFAULT-VALUE}).")
  String policySource;

  @Option(names = "--kubeconfig", paramLabel = "FILE", defaultValue = "${env:MESHID_KUBECONFIG}",
      description = "Kubernetes client configuration for --policy-source kubernetes; default: KUBECONFIG, "
          + "~/.kube/config, or the in-cluster service account.")
  String kubeconfig;

  @Option(names = "--namespace", paramLabel = "NS", defaultValue = "${env:MESHID_NAMESPACE:-default}",
      description = "The workload's namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--labels", paramLabel = "k=v[,k=v]", defaultValue = "${env:MESHID_LABELS}",
      description = "The workload's labels, for policy selectors.")
  String labels;

  @Option(names = "--root-namespace", paramLabel = "NS", defaultValue = "${env:MESHID_ROOT_NAMESPACE:-istio-system}",
      description = "The mesh root namespace (default: ${DEFAULT-VALUE}).")
  String rootNamespace;

  @Option(names = "--outbound-traffic-policy", paramLabel = "ALLOW_ANY|REGISTRY_ONLY",
      defaultValue = "${env:MESHID_OUTBOUND_TRAFFIC_POLICY:-ALLOW_ANY}",
      description = "Destinations outside the Sidecar host list: pass or 502 (default: ${DEFAULT-VALUE}).")
  String outboundTrafficPolicy;

  @Option(names = "--admin-addr", paramLabel = "HOST:PORT", defaultValue = "${env:MESHID_ADMIN_ADDR:-127.0.0.1:15021}",
      description = "/healthz/ready and /stats/prometheus (default: ${DEFAULT-VALUE}).")
  String adminAddr;

  @Option(names = "--access-log", paramLabel = "stdout|off|FILE", defaultValue = "${env:MESHID_ACCESS_LOG:-stdout}",
      description = "Envoy-format access log (default: ${DEFAULT-VALUE}).")
  String accessLog;

  @Option(names = "--tls-engine", paramLabel = "auto|openssl|jdk", defaultValue = "${env:MESHID_TLS_ENGINE:-auto}",
      description = "TLS implementation; auto: BoringSSL where it loads (default: ${DEFAULT-VALUE}).")
  String tlsEngine;

  @Option(names = "--tls-min-version", paramLabel = "1.2|1.3", defaultValue = "${env:MESHID_TLS_MIN_VERSION:-1.3}",
      description = "Lowest TLS version accepted and offered (default: ${DEFAULT-VALUE}).")
  String tlsMinVersion;

  @Option(names = "--outbound-keepalive", paramLabel = "true|false",
      defaultValue = "${env:MESHID_OUTBOUND_KEEPALIVE:-true}",
      description = "Pool upstream mTLS connections; false: a full handshake per request (default: ${DEFAULT-VALUE}).")
  String outboundKeepAlive;

  @Option(names = "--http2", paramLabel = "true|false", defaultValue = "${env:MESHID_HTTP2:-true}",
      description = "Inbound HTTP/2: ALPN h2 on TLS, prior knowledge on plaintext; the app still gets HTTP/1.1 "
          + "(default: ${DEFAULT-VALUE}).")
  String http2;

  @Option(names = "--io-threads", paramLabel = "N", defaultValue = "${env:MESHID_IO_THREADS:-0}",
      description = "Event-loop threads; 0: one per core (default: ${DEFAULT-VALUE}).")
  String ioThreads;

  @Option(names = "--request-headers-timeout", paramLabel = "DURATION",
      defaultValue = "${env:MESHID_REQUEST_HEADERS_TIMEOUT:-10s}",
      description = "A new connection must deliver its first request head (TLS handshake included) within this; "
          + "slower clients are disconnected (default: ${DEFAULT-VALUE}).")
  String requestHeadersTimeout;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "${env:MESHID_IDLE_TIMEOUT:-5m}",
      description = "A keep-alive connection must deliver its next request head within this after a response "
          + "(default: ${DEFAULT-VALUE}).")
  String idleTimeout;

  @Option(names = "--print-config", description = "Print the effective configuration and exit.")
  boolean printConfig;

  /** Runs {@code meshid proxy} on its own (the bench script uses this). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ProxyCommand()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ProxyConfig config;
    try {
      config = toConfig();
    } catch (ConfigException e) {
      err.println("meshid proxy: " + e.getMessage());
      err.flush();
      return 2;
    }
    if (printConfig) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(config.describe());
      out.flush();
      return 0;
    }
    ProxyServer server;
    try {
      server = ProxyServer.start(config, Clock.systemUTC());
    } catch (ConfigException e) {
      err.println("meshid proxy: " + e.getMessage());
      err.flush();
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("meshid proxy: " + e.getMessage());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "meshid-proxy-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }

  /** The configuration the flags describe; checks every value. */
  ProxyConfig toConfig() throws ConfigException {
    List<Route> parsedRoutes = new ArrayList<>();
    for (String r : routes) {
      parsedRoutes.add(Settings.parse("--route", r, Route::parse));
    }
    Path dir = null;
    if (policyDir != null && !policyDir.isBlank()) {
      dir = Path.of(policyDir);
      if (!Files.exists(dir)) {
        throw new ConfigException("--policy-dir", "'" + policyDir + "' does not exist; give a directory of Istio YAML");
      }
    }
    String minVersion = switch (tlsMinVersion.trim()) {
      case "1.3", "TLSv1.3" -> "TLSv1.3";
      case "1.2", "TLSv1.2" -> "TLSv1.2";
      default -> throw new ConfigException("--tls-min-version", "invalid value '" + tlsMinVersion + "'; valid: 1.2, 1.3");
    };
    boolean keepAlive = bool("--outbound-keepalive", outboundKeepAlive);
    boolean h2 = bool("--http2", http2);
    PolicySourceKind source = Settings.oneOf("--policy-source", policySource, PolicySourceKind.class);
    if (source == PolicySourceKind.KUBERNETES && dir != null) {
      throw new ConfigException("--policy-dir", "not used with --policy-source kubernetes; give one or the other");
    }
    Path kubeconfigFile = null;
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      kubeconfigFile = Path.of(kubeconfig);
      if (!Files.isRegularFile(kubeconfigFile)) {
        throw new ConfigException("--kubeconfig", "'" + kubeconfig + "' is not a file");
      }
    }
    int threads = Settings.parse("--io-threads", ioThreads, s -> {
      try {
        int n = Integer.parseInt(s.trim());
        if (n < 0 || n > 256) {
          throw new IllegalArgumentException("must be 0..256");
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number");
      }
    });
    return ProxyConfig.builder()
        .sdsSocket(Path.of(sdsSocket))
        .inboundAddr(Settings.parse("--inbound-addr", inboundAddr, HostPort::parse))
        .appAddr(Settings.parse("--app-addr", appAddr, HostPort::parse))
        .inboundProtocol(Settings.oneOf("--inbound-protocol", inboundProtocol, InboundProtocol.class))
        .outboundAddr(Settings.parse("--outbound-addr", outboundAddr, HostPort::parse))
        .routes(parsedRoutes)
        .policyDir(dir)
        .namespace(Settings.parse("--namespace", namespace, Settings::namespace))
        .labels(Settings.parse("--labels", labels, Settings::labels))
        .rootNamespace(Settings.parse("--root-namespace", rootNamespace, Settings::namespace))
        .outboundTrafficPolicy(Settings.oneOf("--outbound-traffic-policy", outboundTrafficPolicy,
            OutboundTrafficPolicy.class))
        .adminAddr(Settings.parse("--admin-addr", adminAddr, HostPort::parse))
        .accessLog(Settings.parse("--access-log", accessLog, AccessLogTarget::parse))
        .tlsEngine(Settings.oneOf("--tls-engine", tlsEngine, TlsEngine.class))
        .tlsMinVersion(minVersion)
        .outboundKeepAlive(keepAlive)
        .ioThreads(threads)
        .http2(h2)
        .policySource(source)
        .kubeconfig(kubeconfigFile)
        .requestHeadersTimeout(Settings.parse("--request-headers-timeout", requestHeadersTimeout, Settings::duration))
        .idleTimeout(Settings.parse("--idle-timeout", idleTimeout, Settings::duration))
        .build();
  }

  private static boolean bool(String flag, String value) throws ConfigException {
    return switch (value.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(flag, "invalid value '" + value + "'; valid: true, false");
    };
  }
}
