package dev.meshid.ca.rotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.testing.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirCacertsStoreTest {
    @TempDir
    Path dir;
    final FakeClock clock = FakeClock.at("2026-05-01T00:00:00Z");

    private long generations() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("..2")).count();
        }
    }

    @Test
    void replace_plainFiles_becomeLinksThroughDataAndOldGenerationsAreRemoved() throws Exception {
        Files.writeString(dir.resolve("root-cert.pem"), "old");
        DirCacertsStore store = new DirCacertsStore(dir, clock);

        store.replace(Map.of("root-cert.pem", "old"), Map.of("root-cert.pem", "v1"));
        clock.advance(Duration.ofSeconds(1));
        store.replace(Map.of("root-cert.pem", "v1"), Map.of("root-cert.pem", "v2"));

        assertThat(Files.isSymbolicLink(dir.resolve("root-cert.pem"))).isTrue();
        assertThat(Files.readString(dir.resolve("root-cert.pem"))).isEqualTo("v2");
        assertThat(store.read()).isEqualTo(Map.of("root-cert.pem", "v2"));
        assertThat(generations()).isEqualTo(1);
    }

    @Test
    void replace_contentChangedSinceRead_writesNothing() throws Exception {
        Files.writeString(dir.resolve("root-cert.pem"), "someone else's");
        DirCacertsStore store = new DirCacertsStore(dir, clock);

        assertThatThrownBy(() -> store.replace(Map.of("root-cert.pem", "what we read"), Map.of("root-cert.pem", "ours")))
                .isInstanceOf(IOException.class).hasMessageContaining("changed while this step ran; run it again");
        assertThat(Files.readString(dir.resolve("root-cert.pem"))).isEqualTo("someone else's");
        assertThat(generations()).isZero();
    }

    @Test
    void replace_keyFile_isOwnerOnly() throws Exception {
        DirCacertsStore store = new DirCacertsStore(dir, clock);

        store.replace(Map.of(), Map.of("ca-key.pem", "k", "ca-cert.pem", "c"));

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("ca-key.pem")))).isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("ca-cert.pem")))).isEqualTo("rw-r--r--");
    }
}
