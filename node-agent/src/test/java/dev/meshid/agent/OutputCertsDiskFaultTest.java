package dev.meshid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.agent.output.AtomicFiles;
import dev.meshid.agent.output.FileWrite;
import dev.meshid.agent.testing.FakeCa;
import dev.meshid.agent.testing.ManualScheduler;
import dev.meshid.ca.testing.CapturedLog;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.client.SdsClient;
import dev.meshid.sds.client.SdsClientBuilder;
import dev.meshid.sds.client.StreamOpener;
import dev.meshid.sds.secret.TlsCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault: {@code OUTPUT_CERTS} on a full or read-only disk. The agent must keep serving over SDS, report the error
 * (health detail, metric, one log line per state change) and write the current certificate once it can again.
 *
 * <p>Tests run as root, where permission bits do not stop a write. Where {@code mount} is permitted a small tmpfs is
 * really filled or remounted read-only; elsewhere those tests are skipped, and the seam-based ones (a
 * {@link FileWrite} double throwing the JDK's own exceptions for ENOSPC and EROFS) always run.
 */
class OutputCertsDiskFaultTest {
    private static final Duration RETRY = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.startingNow();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ScheduledExecutorService clientExec = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private NodeAgent agent;
    private Path mountPoint;

    /** What the JDK throws on Linux for each condition, from the call that meets it first. */
    enum DiskFault {
        /** {@code FileChannel.write} on a full file system: a plain IOException. */
        ENOSPC("No space left on device"),
        /** {@code Files.createTempFile} on a read-only one: a FileSystemException naming the temporary file. */
        EROFS("Read-only file system");

        final String reason;

        DiskFault(String reason) {
            this.reason = reason;
        }

        IOException exception(Path target, int attempt) {
            return this == ENOSPC ? new IOException(reason) : new FileSystemException(
                    target.resolveSibling("." + target.getFileName() + attempt + ".tmp").toString(), null, reason);
        }
    }

    /** A disk that fails every write with {@code fault} until it is repaired (set to null). */
    static final class FailingDisk implements FileWrite {
        volatile DiskFault fault;
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public Optional<AtomicFiles.Staged> stage(Path target, byte[] content, Set<PosixFilePermission> permissions)
                throws IOException {
            DiskFault f = fault;
            if (f != null) {
                throw f.exception(target, attempts.incrementAndGet());
            }
            return FileWrite.ATOMIC.stage(target, content, permissions);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        clientExec.shutdownNow();
        if (mountPoint != null) {
            run("umount", mountPoint.toString());
        }
    }

    private void start(Path out, FileWrite files) throws Exception {
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        flags.put(AgentSetting.SDS_SOCKET, dir.resolve("sds.sock").toString());
        flags.put(AgentSetting.WORKLOAD_API_SOCKET, "off");
        flags.put(AgentSetting.ADMIN_ADDR, "127.0.0.1:0");
        flags.put(AgentSetting.POD_NAMESPACE, "shop");
        flags.put(AgentSetting.SERVICE_ACCOUNT, "web");
        flags.put(AgentSetting.OUTPUT_CERTS, out.toString());
        agent = NodeAgent.builder(ConfigLoader.load(flags, Map.of())).clock(clock).scheduler(scheduler)
                .random(new SplittableRandom(7)).caClient(new FakeCa(clock)).filePollInterval(Duration.ofDays(1))
                .outputFiles(files).outputRetryInterval(RETRY).start();
        closing.add(agent);
    }

    @ParameterizedTest
    @EnumSource(DiskFault.class)
    void outputCerts_failingThroughTheSeam_sdsKeepsServingErrorReportedOnceAndFilesWrittenOnRecovery(DiskFault fault)
            throws Exception {
        FailingDisk disk = new FailingDisk();
        disk.fault = fault;
        Path out = dir.resolve("out");
        start(out, disk);

        breakServeAndRecover(fault + " via FileWrite seam", out, fault.reason, () -> disk.fault = null);
    }

    @Test
    void outputCerts_realFullTmpfs_sdsKeepsServingErrorReportedOnceAndFilesWrittenOnRecovery() throws Exception {
        Path mnt = mountTmpfs();
        Path out = Files.createDirectory(mnt.resolve("out"));
        Path filler = mnt.resolve("filler");
        try (OutputStream o = Files.newOutputStream(filler)) {
            byte[] chunk = new byte[4096];
            while (true) {
                o.write(chunk);
                o.flush();
            }
        } catch (IOException full) {
            assertThat(full).hasMessageContaining(DiskFault.ENOSPC.reason);
        }
        start(out, FileWrite.ATOMIC);

        breakServeAndRecover("ENOSPC on a full 64 KiB tmpfs", out, DiskFault.ENOSPC.reason,
                () -> uncheckedDelete(filler));
    }

    @Test
    void outputCerts_realReadOnlyTmpfs_sdsKeepsServingErrorReportedOnceAndFilesWrittenOnRecovery() throws Exception {
        Path mnt = mountTmpfs();
        Path out = Files.createDirectory(mnt.resolve("out"));
        assertThat(run("mount", "-o", "remount,ro", mnt.toString())).isEmpty();
        start(out, FileWrite.ATOMIC);

        breakServeAndRecover("EROFS on a tmpfs remounted read-only", out, DiskFault.EROFS.reason,
                () -> assertThat(run("mount", "-o", "remount,rw", mnt.toString())).isEmpty());
    }

    private void breakServeAndRecover(String label, Path out, String reason, Runnable repair) throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            scheduler.runDue();
            IssuedCertificate first = agent.cache().held().orElseThrow().certificate();
            SdsClient client = new SdsClientBuilder(StreamOpener.over(SdsChannels.unixSocket(
                    agent.config().sdsSocket()))).names(List.of("default", "ROOTCA")).scheduler(Scheduler.of(clientExec))
                    .random(new SplittableRandom(3)).start();
            closing.add(client);
            await().atMost(20, TimeUnit.SECONDS).until(() -> client.secret("default").isPresent());
            assertThat(leaf(client)).isEqualTo(first.leaf().getEncoded());

            // Three retries and a rotation while the disk stays broken.
            scheduler.advance(RETRY.multipliedBy(3));
            agent.rotateNow();
            scheduler.runDue();
            IssuedCertificate second = agent.cache().held().orElseThrow().certificate();
            await().atMost(20, TimeUnit.SECONDS).until(() -> java.util.Arrays.equals(leaf(client),
                    second.leaf().getEncoded()));
            long failures = agent.output().orElseThrow().failures();
            HttpResponse<String> health = http("/healthz/ready");
            String metrics = http("/metrics").body();
            long errorLines = log.lines("ERROR", "cannot write the certificate files to " + out);

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("warning: cannot write the certificate files to " + out, reason);
            assertThat(metrics).contains("meshid_agent_output_write_failing 1.0");
            assertThat(failures).isGreaterThanOrEqualTo(5);
            assertThat(errorLines).as("one error line per state change, not per retry").isEqualTo(1);

            repair.run();
            scheduler.advance(RETRY);
            String healthAfter = http("/healthz/ready").body();
            String metricsAfter = http("/metrics").body();
            long recoveredLines = log.lines("INFO", "OUTPUT_CERTS " + out + " is writable again");
            System.out.printf("FAULT output-certs %s: SDS served both certificates while failing=true, "
                    + "failed writes=%d, error log lines=%d, health=%d with warning, recovered after one retry=%s, "
                    + "recovery log lines=%d%n", label, failures, errorLines, health.statusCode(),
                    Files.exists(out.resolve("cert-chain.pem")), recoveredLines);

            assertThat(Files.readString(out.resolve("cert-chain.pem"), StandardCharsets.US_ASCII))
                    .isEqualTo(new String(second.chainPem(), StandardCharsets.US_ASCII));
            assertThat(Files.readAllBytes(out.resolve("key.pem"))).isEqualTo(second.keyPem(false));
            assertThat(metricsAfter).contains("meshid_agent_output_write_failing 0.0");
            assertThat(healthAfter).doesNotContain("warning");
            assertThat(recoveredLines).isEqualTo(1);
            assertThat(log.lines("ERROR", "cannot write the certificate files")).isEqualTo(1);
        }
    }

    private static byte[] leaf(SdsClient c) throws Exception {
        return ((TlsCertificate) c.secret("default").orElseThrow()).chain().get(0).getEncoded();
    }

    private HttpResponse<String> http(String path) throws Exception {
        int port = agent.adminAddress().orElseThrow().getPort();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Mounts a 64 KiB tmpfs, or skips the test (with the reason) where mounting is not permitted. */
    private Path mountTmpfs() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        String error = run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString());
        Assumptions.assumeTrue(error.isEmpty(), "mount -t tmpfs is not permitted here (" + error.strip()
                + "); the FileWrite-seam tests cover this fault");
        mountPoint = mnt;
        return mnt;
    }

    /** Runs a command; returns "" on success, else its exit code and output. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + output;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private static void uncheckedDelete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
