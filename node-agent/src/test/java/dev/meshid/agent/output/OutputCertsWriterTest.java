package dev.meshid.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.testing.Certs;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputCertsWriterTest {
    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/web");
    private final Clock clock = Clock.systemUTC();
    private final TestPki.Issued ca = TestPki.root("Out Root").build().intermediate("Out CA").build();

    @Test
    void write_newCertificate_writesThreeFilesWithKeyOwnerOnly(@TempDir Path dir) throws Exception {
        OutputCertsWriter w = new OutputCertsWriter(dir, false, clock);
        IssuedCertificate c = Certs.issue(ca, ID, Duration.ofHours(1), clock);
        assertThat(w.write(c)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem"))))
                .isEqualTo("rw-------");
        assertThat(Pem.readCertificates(Files.readString(dir.resolve("cert-chain.pem")))).isEqualTo(c.chain());
        assertThat(Pem.readCertificates(Files.readString(dir.resolve("root-cert.pem")))).isEqualTo(c.roots());
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Keys.matches(Pem.readPrivateKey(Files.readString(dir.resolve("key.pem"))),
                c.leaf().getPublicKey())).isTrue();
        assertThat(w.filesWritten()).isEqualTo(3);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("key.pem", "cert-chain.pem", "root-cert.pem");
        }
    }

    @Test
    void write_sameRootsAgain_rewritesOnlyWhatChanged(@TempDir Path dir) throws Exception {
        OutputCertsWriter w = new OutputCertsWriter(dir, true, clock);
        w.write(Certs.issue(ca, ID, Duration.ofHours(1), clock));
        var rootModified = Files.getLastModifiedTime(dir.resolve("root-cert.pem"));
        long before = w.filesWritten();
        IssuedCertificate second = Certs.issue(ca, ID, Duration.ofHours(1), clock);
        w.write(second);
        assertThat(w.filesWritten() - before).isEqualTo(2);
        assertThat(Files.getLastModifiedTime(dir.resolve("root-cert.pem"))).isEqualTo(rootModified);
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        w.write(second);
        assertThat(w.filesWritten() - before).isEqualTo(2);
    }

    @Test
    void write_directoryUnderARegularFile_isReportedAndDoesNotThrow(@TempDir Path tmp) throws Exception {
        // A path component that is a file fails with ENOTDIR for every user, root included (CI runs as root,
        // where a read-only directory would not stop the write and the test would observe nothing).
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Path dir = file.resolve("out");
        OutputCertsWriter w = new OutputCertsWriter(dir, false, clock);
        boolean ok = w.write(Certs.issue(ca, ID, Duration.ofHours(1), clock));
        assertThat(ok).isFalse();
        assertThat(w.failures()).isEqualTo(1);
        assertThat(w.filesWritten()).isZero();
        assertThat(w.lastError()).get().asString().contains(dir.toString());
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void write_afterAFailure_succeedsOnceTheDirectoryIsUsableAndClearsTheError(@TempDir Path tmp) throws Exception {
        Path blocker = Files.writeString(tmp.resolve("out"), "x");
        OutputCertsWriter w = new OutputCertsWriter(blocker.resolve("certs"), false, clock);
        assertThat(w.write(Certs.issue(ca, ID, Duration.ofHours(1), clock))).isFalse();
        Files.delete(blocker);
        assertThat(w.write(Certs.issue(ca, ID, Duration.ofHours(1), clock))).isTrue();
        assertThat(w.lastError()).isEmpty();
        assertThat(w.failures()).isEqualTo(1);
        assertThat(Files.exists(blocker.resolve("certs/cert-chain.pem"))).isTrue();
    }

    @Test
    void write_duringManyRotations_readersNeverSeeAHalfWrittenFile(@TempDir Path dir) throws Exception {
        OutputCertsWriter w = new OutputCertsWriter(dir, false, clock);
        List<IssuedCertificate> certs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            certs.add(Certs.issue(ca, ID, Duration.ofHours(1), clock));
        }
        w.write(certs.get(0));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<String> problems = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    String chain = Files.readString(dir.resolve("cert-chain.pem"));
                    String key = Files.readString(dir.resolve("key.pem"));
                    if (Pem.readCertificates(chain).size() != 2) {
                        problems.add("chain of the wrong length");
                    }
                    Pem.readPrivateKey(key);
                    reads.incrementAndGet();
                } catch (Exception e) {
                    synchronized (problems) {
                        problems.add(e.toString());
                    }
                }
            }
        });
        reader.start();
        for (int round = 0; round < 10; round++) {
            for (IssuedCertificate c : certs) {
                assertThat(w.write(c)).isTrue();
            }
        }
        stop.set(true);
        reader.join();
        assertThat(problems).isEmpty();
        assertThat(reads.get()).isGreaterThan(10);
        assertThat(w.filesWritten()).isGreaterThanOrEqualTo(2L * 200 - 2);
    }

    @Test
    void write_directoryMissing_createsItOwnerOnly(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("etc/certs");
        OutputCertsWriter w = new OutputCertsWriter(dir, false, clock);

        assertThat(w.write(Certs.issue(ca, ID, Duration.ofHours(1), clock))).isTrue();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem"))))
                .isEqualTo("rw-------");
    }
}
