package dev.meshid.agent.admin;

import dev.meshid.agent.bundle.AppliedBundle;
import dev.meshid.agent.bundle.BundleObserver;
import dev.meshid.agent.ca.CaCallException;
import dev.meshid.agent.ca.ClockSkew;
import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.cache.Held;
import dev.meshid.agent.cache.RotationObserver;
import dev.meshid.agent.cache.SecretCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus metrics. Istio's agent names where Istio has the metric
 * ({@code istio_agent_cert_expiry_seconds{resource_name="default"}}: seconds left, negative once expired;
 * {@code istio_agent_num_outgoing_requests}, {@code istio_agent_num_failed_outgoing_requests},
 * {@code istio_agent_num_outgoing_retries} with {@code request_type="csr"}), {@code meshid_agent_*} otherwise
 * (among them {@code meshid_agent_bundle_updates_total} and {@code meshid_agent_bundle_rejected_total} for the
 * CA's trust bundle stream).
 */
public final class AgentMetrics implements RotationObserver, BundleObserver {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SecretCache cache;
    private final Clock clock;
    private final Counter requests;
    private final Counter failedRequests;
    private final Counter retries;
    private final Counter rotations;
    private final Counter bundleUpdates;
    private final Counter bundleRejections;
    private final AtomicReference<Instant> lastRotation = new AtomicReference<>();

    public AgentMetrics(SecretCache cache, Clock clock) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
        requests = Counter.builder("istio_agent_num_outgoing_requests").tag("request_type", "csr")
                .description("CSR requests sent to the CA").register(registry);
        failedRequests = Counter.builder("istio_agent_num_failed_outgoing_requests").tag("request_type", "csr")
                .description("CSR requests that failed").register(registry);
        retries = Counter.builder("istio_agent_num_outgoing_retries").tag("request_type", "csr")
                .description("CSR requests retried after a failure").register(registry);
        rotations = Counter.builder("meshid_agent_rotations").description("certificates taken into use")
                .register(registry);
        bundleUpdates = Counter.builder("meshid_agent_bundle_updates")
                .description("trust bundles from the CA's stream applied").register(registry);
        bundleRejections = Counter.builder("meshid_agent_bundle_rejected")
                .description("trust bundles from the CA's stream refused (the last good one stayed)").register(registry);
        gauge("istio_agent_cert_expiry_seconds", "seconds until the workload certificate expires (negative: expired)",
                m -> cache.held().map(h -> secondsBetween(clock.instant(), h.certificate().notAfter()))
                        .orElse(Double.NaN))
                .tag("resource_name", "default").register(registry);
        gauge("meshid_agent_cert_expiry_timestamp_seconds", "NotAfter of the workload certificate, Unix seconds",
                m -> cache.held().map(h -> (double) h.certificate().notAfter().getEpochSecond()).orElse(Double.NaN))
                .register(registry);
        gauge("meshid_agent_next_rotation_timestamp_seconds", "planned renewal time, Unix seconds",
                m -> cache.held().map(h -> (double) h.rotateAt().getEpochSecond()).orElse(Double.NaN))
                .register(registry);
        gauge("meshid_agent_last_rotation_timestamp_seconds", "when the current certificate was taken into use",
                m -> lastRotation.get() == null ? Double.NaN : lastRotation.get().getEpochSecond())
                .register(registry);
        gauge("meshid_agent_clock_behind_ca_seconds", "how far the held certificate's NotBefore was ahead of this "
                + "host's clock when it arrived (0 unless the clock is behind the CA's by more than the backdate)",
                m -> cache.held().map(h -> (double) ClockSkew.notYetValidBy(
                        h.certificate().notBefore(), h.certificate().receivedAt()).toSeconds()).orElse(Double.NaN))
                .register(registry);
        gauge("meshid_agent_cert_expired", "1 while the held certificate has expired (the CA could not renew it)",
                m -> cache.expired() ? 1 : 0).register(registry);
    }

    private Gauge.Builder<AgentMetrics> gauge(String name, String help, ToDoubleFunction<AgentMetrics> f) {
        return Gauge.builder(name, this, f).description(help);
    }

    private static double secondsBetween(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** The registry, to add more meters (SDS counters, output file failures). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Exports the SDS server's counters and, if files are written, their failures. */
    public void watch(dev.meshid.sds.server.SdsServer sds,
            java.util.Optional<dev.meshid.agent.output.OutputCertsWriter> output) {
        functionCounter("meshid_agent_sds_pushes", "SDS pushes after a secret changed", sds, s -> s.metrics().pushes());
        functionCounter("meshid_agent_sds_nacks", "SDS NACKs received", sds, s -> s.metrics().nacks());
        gauge("meshid_agent_sds_active_streams", "open SDS streams", sds, s -> s.metrics().activeStreams());
        functionCounter("meshid_agent_sds_socket_recreated",
                "times the SDS socket file was found deleted and bound again", sds,
                dev.meshid.sds.server.SdsServer::socketRestores);
        output.ifPresent(o -> functionCounter("meshid_agent_output_write_failures",
                "failed writes of OUTPUT_CERTS files", o, dev.meshid.agent.output.OutputCertsWriter::failures));
        output.ifPresent(o -> gauge("meshid_agent_output_write_failing",
                "1 while the OUTPUT_CERTS files cannot be written (SDS still serves the new certificate)", o,
                w -> w.failing() ? 1 : 0));
    }

    /** Adds a monotonic count read from {@code f} when scraped. */
    public <T> void functionCounter(String name, String help, T obj, ToDoubleFunction<T> f) {
        FunctionCounter.builder(name, obj, f).description(help).register(registry);
    }

    /** Adds a gauge read from {@code f} when scraped. */
    public <T> void gauge(String name, String help, T obj, ToDoubleFunction<T> f) {
        Gauge.builder(name, obj, f).description(help).register(registry);
    }

    @Override
    public void onIssued(IssuedCertificate certificate, Duration took) {
        requests.increment();
        rotations.increment();
        lastRotation.set(clock.instant());
    }

    @Override
    public void onFailure(CaCallException error, int failures, Duration retryIn) {
        requests.increment();
        failedRequests.increment();
        retries.increment();
        Counter.builder("meshid_agent_ca_errors").tag("code", error.code().name())
                .description("failed attempts to get a certificate, by gRPC code").register(registry).increment();
    }

    @Override
    public void onApplied(AppliedBundle bundle) {
        bundleUpdates.increment();
    }

    @Override
    public void onRejected(String reason) {
        bundleRejections.increment();
    }

    /** Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    /** The held certificate, for callers that have only the metrics. */
    java.util.Optional<Held> held() {
        return cache.held();
    }
}
