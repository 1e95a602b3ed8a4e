package dev.meshid.ca.bench;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run}: drives {@code IstioCertificateService/CreateCertificate} over TLS gRPC, after one checked probe
 * request, and prints a human summary and one {@code RESULT k=v ...} line for {@code ca-server/bench/ca-bench.sh}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Send pre-made CSRs to a CA at a fixed concurrency; report rate, latency, CPU per certificate.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--target", required = true, description = "CA address HOST:PORT.")
    String target;
    @Option(names = "--ca-root", description = "PEM root(s) to trust for TLS; the chain's last element must be this root.")
    Path caRoot;
    @Option(names = "--plaintext", description = "No TLS (a CA started with --insecure-plaintext).")
    boolean plaintext;
    @Option(names = "--authority", defaultValue = "istiod.istio-system.svc", description = "TLS host name to verify.")
    String authority;
    @Option(names = "--token", required = true, description = "File with the bearer JWT (see 'token').")
    Path token;
    @Option(names = "--concurrency", defaultValue = "8", description = "Calls in flight (default ${DEFAULT-VALUE}).")
    int concurrency;
    @Option(names = "--channels", description = "TCP connections (default: min(concurrency, 8)).")
    Integer channels;
    @Option(names = "--warmup-seconds", defaultValue = "3")
    double warmupSeconds;
    @Option(names = "--duration-seconds", defaultValue = "10", description = "Measured window (default ${DEFAULT-VALUE}).")
    double durationSeconds;
    @Option(names = "--requests", defaultValue = "0", description = "End the window after this many answers (0: no bound).")
    long requests;
    @Option(names = "--csrs", defaultValue = "200", description = "EC P-256 CSRs to make before the run.")
    int csrs;
    @Option(names = "--csr-dir", description = "Send the *.csr PEM files of this directory instead.")
    Path csrDir;
    @Option(names = "--spiffe-id", defaultValue = "spiffe://cluster.local/ns/default/sa/bench")
    String spiffeId;
    @Option(names = "--ca-pid", defaultValue = "0", description = "The CA's process id, for its CPU time per certificate.")
    long caPid;
    @Option(names = "--clk-tck", defaultValue = "100", description = "Ticks per second in /proc (getconf CLK_TCK).")
    int clkTck;
    @Option(names = "--deadline-seconds", defaultValue = "30")
    long deadlineSeconds;
    @Option(names = "--dump-chain", description = "Write the first issued chain here (PEM), e.g. for openssl verify.")
    Path dumpChain;

    @Override
    public Integer call() throws Exception {
        int k = channels == null ? Math.min(concurrency, 8) : channels;
        if (concurrency < 1 || k < 1 || k > concurrency) {
            throw new CommandLine.ParameterException(new CommandLine(this), "need concurrency >= 1 and 1 <= channels "
                    + "<= concurrency, got " + concurrency + " and " + k);
        }
        SpiffeId id = SpiffeId.parse(spiffeId);
        List<String> pems = csrDir != null ? CsrPool.readDir(csrDir) : CsrPool.generate(csrs, id);
        List<IstioCertificateRequest> reqs = pems.stream()
                .map(p -> IstioCertificateRequest.newBuilder().setCsr(p).build()).toList();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + Files.readString(token, StandardCharsets.US_ASCII).trim());
        Optional<X509Certificate> root = caRoot == null ? Optional.empty()
                : Optional.of(Pem.readCertificates(Pem.readFile(caRoot)).get(0));
        List<ManagedChannel> chans = new ArrayList<>();
        ExecutorService hop = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < k; i++) {
                chans.add(channel());
            }
            String leaf = Probe.check(chans.get(0), headers, reqs.get(0), id, root, Optional.ofNullable(dumpChain));
            System.out.println("probe: " + leaf);
            LoadRun.Result r = new LoadRun(new LoadRun.Settings(chans, concurrency, headers, reqs,
                    seconds(warmupSeconds), seconds(durationSeconds), requests, Duration.ofSeconds(deadlineSeconds),
                    caPid), hop).run();
            print(r, k);
            return r.ok() > 0 ? 0 : 1;
        } finally {
            hop.shutdownNow();
            chans.forEach(ManagedChannel::shutdownNow);
            for (ManagedChannel c : chans) {
                c.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private ManagedChannel channel() throws java.io.IOException {
        String[] hp = target.split(":(?=[0-9]+$)");
        if (hp.length != 2) {
            throw new IllegalArgumentException("--target must be HOST:PORT, got " + target);
        }
        ChannelCredentials creds = plaintext ? InsecureChannelCredentials.create()
                : caRoot == null ? TlsChannelCredentials.create()
                : TlsChannelCredentials.newBuilder().trustManager(caRoot.toFile()).build();
        return Grpc.newChannelBuilderForAddress(hp[0], Integer.parseInt(hp[1]), creds).overrideAuthority(authority)
                .directExecutor().build();
    }

    private void print(LoadRun.Result r, int k) {
        long[] lat = r.sortedNanos();
        double rate = r.ok() / r.wallSeconds();
        double caCpu = r.caTicks() < 0 ? -1 : (double) r.caTicks() / clkTck;
        // Compiler threads come and go (dynamic compiler threads): a negative delta means one exited; count 0.
        double jitCpu = r.caJitTicks() < 0 ? -1 : Math.max(0, r.caJitTicks()) / (double) clkTck;
        double servingCpu = caCpu < 0 || jitCpu < 0 ? -1 : caCpu - jitCpu;
        double meCpu = (double) r.clientTicks() / clkTck;
        int cpus = Runtime.getRuntime().availableProcessors();
        double foreign = r.machineTicks() < 0 ? -1 : Math.max(0, (r.machineTicks() - Math.max(0, r.caTicks())
                - r.clientTicks()) * 100.0 / (r.wallSeconds() * cpus * clkTck));
        String errs = r.errors().isEmpty() ? "none" : r.errors().entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
        System.out.printf(Locale.ROOT, "%d channel(s) x %d in flight: %d certificates in %.2f s = %.1f/s; "
                        + "latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f; errors %s%n", k, concurrency, r.ok(),
                r.wallSeconds(), rate, q(lat, 0.5), q(lat, 0.9), q(lat, 0.99), q(lat, 1.0), errs);
        System.out.printf(Locale.ROOT, "CPU: CA %.2f s (%.3f ms/cert; without its JIT compiler threads %.3f), driver "
                        + "%.2f s (%.3f ms/cert); other processes %.1f%% of %d CPUs; load average %s%n", caCpu,
                per(caCpu, r.ok()), per(servingCpu, r.ok()), meCpu, per(meCpu, r.ok()), foreign, cpus,
                ProcCpu.loadAverage());
        System.out.printf(Locale.ROOT, "RESULT n=%d ok=%d bad=%d wall_s=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f "
                        + "p99_ms=%.2f max_ms=%.2f ca_cpu_s=%.2f ca_cpu_ms_per_cert=%.3f ca_jit_cpu_s=%.2f "
                        + "ca_nojit_cpu_ms_per_cert=%.3f client_cpu_s=%.2f "
                        + "foreign_cpu_pct=%.1f channels=%d conc=%d errors=%s%n", r.ok() + r.failed(), r.ok(),
                r.failed(), r.wallSeconds(), rate, q(lat, 0.5), q(lat, 0.9), q(lat, 0.99), q(lat, 1.0), caCpu,
                per(caCpu, r.ok()), jitCpu, per(servingCpu, r.ok()), meCpu, foreign, k, concurrency, errs);
    }

    private static double q(long[] sorted, double quantile) {
        return Latencies.quantileMillis(sorted, quantile);
    }

    private static double per(double cpuSeconds, long n) {
        return cpuSeconds < 0 || n == 0 ? -1 : cpuSeconds * 1000 / n;
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
