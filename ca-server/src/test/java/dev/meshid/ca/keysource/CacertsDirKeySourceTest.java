package dev.meshid.ca.keysource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacertsDirKeySourceTest extends KeySourceContractTest {
    private static final Duration POLL = CacertsDirOptions.DEFAULT_POLL_INTERVAL;

    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private KeyCertBundle initial;

    @BeforeEach
    void writeInitialMaterial() throws Exception {
        initial = TestCas.pluginCa(clock, "first");
        TestCas.writeFiles(dir, initial.toPluginFiles());
    }

    @Override
    protected KeySource newSource() {
        return new CacertsDirKeySource(dir, CacertsDirOptions.defaults(), clock, scheduler);
    }

    @Override
    protected void changeToValid() throws Exception {
        TestCas.writeFiles(dir, TestCas.pluginCa(clock, "second").toPluginFiles());
    }

    @Override
    protected void touchUnchanged() throws Exception {
        for (String name : initial.toPluginFiles().keySet()) {
            Path p = dir.resolve(name);
            Files.writeString(p, Files.readString(p));
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(clock.advance(Duration.ofSeconds(1))));
        }
    }

    @Override
    protected void changeToInvalid() throws Exception {
        TestCas.writeFiles(dir, TestCas.withForeignKey(initial.toPluginFiles()));
    }

    @Override
    protected String expectedRejection() {
        return "ca-key.pem does not match ca-cert.pem";
    }

    @Override
    protected void refresh() {
        scheduler.advance(POLL);
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected String expectedNameFragment() {
        return "cacerts-dir:" + dir.toAbsolutePath();
    }

    @Test
    void poll_kubernetesDataSymlinkSwap_deliversTheNewSetOnceAndNeverAMix() throws Exception {
        Path mount = dir.resolve("mount");
        Path v1 = mount.resolve("..2024_01_01_00_00_00.000000001");
        TestCas.writeFiles(v1, initial.toPluginFiles());
        Files.createSymbolicLink(mount.resolve("..data"), v1.getFileName());
        for (String name : initial.toPluginFiles().keySet()) {
            Files.createSymbolicLink(mount.resolve(name), Path.of("..data", name));
        }
        CacertsDirKeySource source = new CacertsDirKeySource(mount, CacertsDirOptions.defaults(), clock, scheduler);
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        assertThat(l.bundles).hasSize(1);

        // The kubelet writes the new version beside the old one: nothing visible changes yet.
        KeyCertBundle next = TestCas.pluginCa(clock, "rotated");
        Path v2 = mount.resolve("..2024_01_01_00_05_00.000000002");
        TestCas.writeFiles(v2, next.toPluginFiles());
        scheduler.advance(POLL);
        assertThat(l.bundles).hasSize(1);

        // Then renames a new ..data link over the old one, and removes the old version.
        Path tmpLink = mount.resolve("..data_tmp");
        Files.createSymbolicLink(tmpLink, v2.getFileName());
        Files.move(tmpLink, mount.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        for (String name : initial.toPluginFiles().keySet()) {
            Files.delete(v1.resolve(name));
        }
        Files.delete(v1);
        scheduler.advance(POLL);
        scheduler.advance(POLL);
        source.close();

        assertThat(l.bundles).hasSize(2);
        assertThat(l.last().signer().certificate()).isEqualTo(next.signer().certificate());
        assertThat(l.rejections).isEmpty();
    }

    @Test
    void poll_halfCopiedSet_isRefusedAsAMix_thenTheCompleteSetIsApplied() throws Exception {
        CacertsDirKeySource source = (CacertsDirKeySource) newSource();
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        KeyCertBundle next = TestCas.pluginCa(clock, "next");
        Map<String, String> files = next.toPluginFiles();

        TestCas.writeFiles(dir, Map.of("ca-cert.pem", files.get("ca-cert.pem"), "cert-chain.pem",
                files.get("cert-chain.pem")));
        scheduler.advance(POLL);
        assertThat(l.bundles).hasSize(1);
        assertThat(l.rejections).singleElement().asString().contains("ca-key.pem does not match ca-cert.pem");
        assertThat(source.rejectedCount()).isEqualTo(1);

        TestCas.writeFiles(dir, files);
        scheduler.advance(POLL);
        source.close();

        assertThat(l.bundles).hasSize(2);
        assertThat(l.last().signer().certificate()).isEqualTo(next.signer().certificate());
        assertThat(l.last().signer().key()).isEqualTo(next.signer().key());
    }

    @Test
    void start_kubernetesTlsForm_isLoaded() throws Exception {
        Path tls = dir.resolve("tls");
        Map<String, String> istio = initial.toPluginFiles();
        TestCas.writeFiles(tls, Map.of("tls.crt", istio.get("cert-chain.pem"), "tls.key", istio.get("ca-key.pem"),
                "ca.crt", istio.get("root-cert.pem")));
        CacertsDirKeySource source = new CacertsDirKeySource(tls, CacertsDirOptions.defaults(), clock, scheduler);
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        source.close();

        assertThat(l.rejections).isEmpty();
        assertThat(l.bundles).singleElement().satisfies(b ->
                assertThat(b.signer().certificate()).isEqualTo(initial.signer().certificate()));
    }

    @Test
    void start_partialSet_isRefusedNamingTheMissingFile_andReportedOnlyOnce() throws Exception {
        Files.delete(dir.resolve("cert-chain.pem"));
        CacertsDirKeySource source = (CacertsDirKeySource) newSource();
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        scheduler.advance(POLL);
        scheduler.advance(POLL);
        source.close();

        assertThat(l.bundles).isEmpty();
        assertThat(l.rejections).singleElement().asString().contains("missing cert-chain.pem");
        assertThat(source.rejectedCount()).isEqualTo(1);
    }

    @Test
    void start_emptyDirectory_isRefusedSayingWhatToProvide() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        CacertsDirKeySource source = new CacertsDirKeySource(empty, CacertsDirOptions.defaults(), clock, scheduler);
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        source.close();

        assertThat(l.rejections).singleElement().asString().contains(empty.toString()).contains("ca-cert.pem");
    }

    @Test
    void poll_expiredMaterial_isRefused_andTheFilesAreNotReadAgainUntilTheyChange() throws Exception {
        CacertsDirKeySource source = (CacertsDirKeySource) newSource();
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        clock.advance(Duration.ofDays(30));
        TestCas.writeFiles(dir, Map.of("root-cert.pem",
                Files.readString(dir.resolve("root-cert.pem"), StandardCharsets.US_ASCII) + "\n"));
        scheduler.advance(POLL);
        scheduler.advance(POLL);
        source.close();

        assertThat(l.bundles).hasSize(1);
        assertThat(l.rejections).singleElement().asString().contains("expired");
    }

    @Test
    void close_cancelsPolling() {
        CacertsDirKeySource source = (CacertsDirKeySource) newSource();
        source.start(new RecordingListener());
        assertThat(scheduler.pending()).isEqualTo(1);

        source.close();

        assertThat(scheduler.pending()).isZero();
    }
}
