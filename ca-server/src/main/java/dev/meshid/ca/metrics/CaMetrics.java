package dev.meshid.ca.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The CA's metrics. Istio's {@code citadel_server_*} series keep Istio's exact exposition (counters without a
 * {@code _total} suffix, as istiod serves them) so that existing dashboards and alerts work; they are rendered
 * here, since Micrometer's Prometheus registry always appends {@code _total} to counters. meshid's own series
 * (latency histograms, in-flight requests, key-source refusals) go through Micrometer.
 */
public final class CaMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LongAdder csrCount = new LongAdder();
    private final LongAdder success = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder parsingErrors = new LongAdder();
    private final Map<String, LongAdder> signErrors = new ConcurrentHashMap<>();
    private volatile double rootExpiry = Double.NaN;
    private volatile double chainExpiry = Double.NaN;
    private volatile java.util.function.Supplier<java.util.Optional<dev.meshid.ca.rotation.RotationState>> rotation =
            java.util.Optional::empty;
    private final Timer okLatency;
    private final Timer failedLatency;
    private final Timer signLatency;
    private final Counter keySourceRejected;

    public CaMetrics() {
        okLatency = latency("ok");
        failedLatency = latency("error");
        signLatency = Timer.builder("meshid.ca.sign.duration").description("Time to sign and validate one certificate")
                .publishPercentileHistogram().register(registry);
        keySourceRejected = Counter.builder("meshid.ca.keysource.rejected")
                .description("New signing material refused by the key source; the old material stayed in use")
                .register(registry);
    }

    private Timer latency(String result) {
        return Timer.builder("meshid.ca.csr.duration").description("Time from receiving a CSR to the answer")
                .tag("result", result).publishPercentileHistogram().register(registry);
    }

    /** Reports the requests in flight (queued or running). */
    public void inFlight(IntSupplier count) {
        Gauge.builder("meshid.ca.inflight.requests", count::getAsInt)
                .description("CA requests admitted and not yet answered").register(registry);
    }

    /**
     * Reports the trust-bundle streams: {@code meshid_ca_bundle_agents_connected} (streams open) and
     * {@code meshid_ca_bundle_agents_acked} (of those, the ones that applied the current bundle version).
     */
    public void bundleAgents(IntSupplier connected, IntSupplier acked) {
        Gauge.builder("meshid.ca.bundle.agents.connected", connected::getAsInt)
                .description("Node agents with an open trust-bundle stream").register(registry);
        Gauge.builder("meshid.ca.bundle.agents.acked", acked::getAsInt)
                .description("Connected node agents that applied the CA's current trust-bundle version")
                .register(registry);
    }

    /**
     * Reports root rotation, rendered at each scrape: {@code meshid_ca_root_expiry_timestamp_seconds{fingerprint}}
     * for every root of the trust bundle and {@code meshid_ca_rotation_step} (0 none, 1 new root added,
     * 2 signer switched).
     */
    public void rotation(java.util.function.Supplier<java.util.Optional<dev.meshid.ca.rotation.RotationState>> state) {
        this.rotation = java.util.Objects.requireNonNull(state, "state");
    }

    public void csrReceived() {
        csrCount.increment();
    }

    public void issued(Duration took) {
        success.increment();
        okLatency.record(took);
    }

    public void authenticationFailed(Duration took) {
        authFailures.increment();
        failedLatency.record(took);
    }

    /** A CSR that did not parse or was refused by policy (Istio's {@code csr_parsing_err_count}). */
    public void csrRefused() {
        parsingErrors.increment();
    }

    /** A failure after authentication, labelled like Istio's {@code error} label. */
    public void signError(String label, Duration took) {
        signErrors.computeIfAbsent(label, l -> new LongAdder()).increment();
        failedLatency.record(took);
    }

    public void signed(Duration took) {
        signLatency.record(took);
    }

    /**
     * Reports a Vault key source: {@code meshid_ca_vault_reachable} (1 when the last call succeeded),
     * {@code meshid_ca_vault_consecutive_failures}, {@code meshid_ca_vault_last_success_timestamp_seconds}
     * (NaN before the first success) and {@code meshid_ca_vault_ready} (1 while its signer is valid).
     */
    public void vault(java.util.function.Supplier<dev.meshid.ca.vault.VaultSourceStatus> status) {
        Gauge.builder("meshid.ca.vault.reachable", () -> status.get().vaultReachable() ? 1 : 0)
                .description("1 when the last call to Vault succeeded, else 0; the CA keeps signing meanwhile")
                .register(registry);
        Gauge.builder("meshid.ca.vault.consecutive.failures", () -> status.get().consecutiveFailures())
                .description("Failed calls to Vault since the last success").register(registry);
        Gauge.builder("meshid.ca.vault.last.success.timestamp.seconds", () -> {
            Instant t = status.get().lastSuccess();
            return t == null ? Double.NaN : t.getEpochSecond();
        }).description("Unix time of the last successful call to Vault").register(registry);
        Gauge.builder("meshid.ca.vault.ready", () -> status.get().ready() ? 1 : 0)
                .description("1 while the signing material from Vault is loaded and valid").register(registry);
    }

    public void keySourceRejected() {
        keySourceRejected.increment();
    }

    /** The NotAfter of the root and of the signing chain currently in use. */
    public void signingMaterial(Instant rootNotAfter, Instant chainNotAfter) {
        rootExpiry = rootNotAfter.getEpochSecond();
        chainExpiry = chainNotAfter.getEpochSecond();
    }

    /** Everything, in the Prometheus text format (0.0.4). */
    public String scrape() {
        StringBuilder sb = new StringBuilder();
        counter(sb, "citadel_server_csr_count", "The number of CSRs received by Citadel server.", csrCount.sum());
        counter(sb, "citadel_server_success_cert_issuance_count",
                "The number of certificates issuances that have succeeded.", success.sum());
        counter(sb, "citadel_server_authentication_failure_count", "The number of authentication failures.",
                authFailures.sum());
        counter(sb, "citadel_server_csr_parsing_err_count", "The number of errors occurred when parsing the CSR.",
                parsingErrors.sum());
        sb.append("# HELP citadel_server_csr_sign_err_count The number of errors occurred when signing the CSR.\n")
                .append("# TYPE citadel_server_csr_sign_err_count counter\n");
        new TreeMap<>(signErrors).forEach((label, n) -> sb.append("citadel_server_csr_sign_err_count{error=\"")
                .append(label).append("\"} ").append(n.sum()).append('\n'));
        gauge(sb, "citadel_server_root_cert_expiry_timestamp",
                "The unix timestamp, in seconds, when Citadel root cert will expire.", rootExpiry);
        gauge(sb, "citadel_server_cert_chain_expiry_timestamp",
                "The unix timestamp, in seconds, when Citadel cert chain will expire.", chainExpiry);
        rotation.get().ifPresent(r -> rotationSeries(sb, r));
        sb.append(registry.scrape());
        return sb.toString();
    }

    private static void rotationSeries(StringBuilder sb, dev.meshid.ca.rotation.RotationState state) {
        sb.append("# HELP meshid_ca_root_expiry_timestamp_seconds Unix time when each root of the trust bundle expires\n")
                .append("# TYPE meshid_ca_root_expiry_timestamp_seconds gauge\n");
        for (dev.meshid.ca.rotation.RootStatus r : state.roots()) {
            sb.append("meshid_ca_root_expiry_timestamp_seconds{fingerprint=\"").append(r.fingerprint()).append("\"} ")
                    .append(r.notAfter().getEpochSecond()).append('\n');
        }
        sb.append("# HELP meshid_ca_rotation_step Root rotation step: 0 none, 1 new root added, 2 signer switched\n")
                .append("# TYPE meshid_ca_rotation_step gauge\n")
                .append("meshid_ca_rotation_step ").append(state.step().gauge()).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.0f", value)).append('\n');
    }
}
