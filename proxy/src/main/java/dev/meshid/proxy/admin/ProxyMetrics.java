package dev.meshid.proxy.admin;

import dev.meshid.proxy.tls.LiveTls;
import dev.meshid.proxy.tls.TlsSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The proxy's metrics, scraped in Prometheus format from the admin port. Counters are looked up once per
 * tag combination and cached; requests and handshakes by index, so counting on the data path is one array
 * read and one add.
 */
public final class ProxyMetrics {
  /** Which listener a request or handshake belongs to. */
  public enum Direction { INBOUND, OUTBOUND }

  private static final int CODES = 600;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  // The per-request and per-handshake counters by index, so the data path neither builds a key string nor
  // hashes one: [direction * CODES + status code] and [direction * 2 + (ok ? 1 : 0)].
  private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(2 * CODES);
  private final AtomicReferenceArray<Counter> handshakes = new AtomicReferenceArray<>(4);

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** A request answered with {@code code} (0: none). */
  public void request(Direction d, int code) {
    if (code < 0 || code >= CODES) {
      counter("meshid.proxy.requests", "direction", lower(d), "code", Integer.toString(code)).increment();
      return;
    }
    int i = d.ordinal() * CODES + code;
    Counter c = requests.get(i);
    if (c == null) {
      c = counter("meshid.proxy.requests", "direction", lower(d), "code", Integer.toString(code));
      requests.set(i, c);
    }
    c.increment();
  }

  /** A request or connection refused by authorization, by reason ({@code DENY_MATCHED}, ...). */
  public void denied(Direction d, String reason) {
    counter("meshid.proxy.authz.denials", "direction", lower(d), "reason", reason).increment();
  }

  /** A TLS handshake, successful or not. */
  public void handshake(Direction d, boolean ok) {
    int i = d.ordinal() * 2 + (ok ? 1 : 0);
    Counter c = handshakes.get(i);
    if (c == null) {
      c = counter("meshid.proxy.tls.handshakes", "direction", lower(d), "result", ok ? "success" : "failure");
      handshakes.set(i, c);
    }
    c.increment();
  }

  /** A connection refused before TLS (not ready, or plaintext where STRICT applies). */
  public void refused(String reason) {
    counter("meshid.proxy.connections.refused", "reason", reason).increment();
  }

  /** A destination outside the Sidecar egress host list. */
  public void egressBlocked() {
    counter("meshid.proxy.egress.blocked").increment();
  }

  /** Gauges of the live certificate: seconds until it expires, and its NotAfter (epoch seconds). */
  public void watchCertificate(LiveTls tls, Clock clock) {
    Gauge.builder("meshid.proxy.certificate.expiry.seconds", tls, t -> {
      TlsSnapshot s = t.currentOrNull();
      return s == null ? Double.NaN
          : (s.leaf().getNotAfter().toInstant().toEpochMilli() - clock.millis()) / 1000.0;
    }).description("Seconds until the proxy's certificate expires (NaN: no certificate yet)").register(registry);
    Gauge.builder("meshid.proxy.certificate.not.after", tls, t -> {
      TlsSnapshot s = t.currentOrNull();
      return s == null ? Double.NaN : s.leaf().getNotAfter().toInstant().getEpochSecond();
    }).description("NotAfter of the proxy's certificate, epoch seconds").register(registry);
    Gauge.builder("meshid.proxy.certificate.updates", tls, t -> {
      TlsSnapshot s = t.currentOrNull();
      return s == null ? 0 : s.version();
    }).description("Certificate snapshots applied from SDS").register(registry);
    Gauge.builder("meshid.proxy.certificate.rejected", tls, LiveTls::rejected)
        .description("SDS pushes that could not be used").register(registry);
  }

  /** Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  private Counter counter(String name, String... tags) {
    String key = name + String.join("\u0000", tags);
    Counter c = counters.get(key);
    if (c == null) {
      c = counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }
    return c;
  }

  private static String lower(Direction d) {
    return d == Direction.INBOUND ? "inbound" : "outbound";
  }
}
