package dev.meshid.proxy.testing;

import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.config.AccessLogTarget;
import dev.meshid.proxy.config.HostPort;
import dev.meshid.proxy.config.ProxyConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Starts proxies on 127.0.0.1 with free ports, one event loop, fast policy polling. */
public final class Proxies {
  private Proxies() {}

  /** A builder with the test defaults; set app, SDS socket and what else the test needs. */
  public static ProxyConfig.Builder config(Path sdsSocket, String appAddr, Path accessLog) {
    return ProxyConfig.builder()
        .sdsSocket(sdsSocket)
        .inboundAddr(new HostPort("127.0.0.1", 0))
        .outboundAddr(new HostPort("127.0.0.1", 0))
        .adminAddr(new HostPort("127.0.0.1", 0))
        .appAddr(HostPort.parse(appAddr))
        .accessLog(accessLog == null ? new AccessLogTarget.Off() : new AccessLogTarget.File(accessLog))
        .policyPollInterval(Duration.ofMillis(100))
        .ioThreads(1);
  }

  /** Starts a proxy; any failure fails the test. */
  public static ProxyServer start(ProxyConfig config) {
    try {
      return ProxyServer.start(config, Clock.systemUTC());
    } catch (Exception e) {
      throw new IllegalStateException("proxy did not start: " + e.getMessage(), e);
    }
  }
}
