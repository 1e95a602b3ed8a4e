package dev.meshid.pki.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoryTest {

    @Test
    void create_missingDirectory_isOwnerOnly_andParentsAreCreated(@TempDir Path tmp) throws Exception {
        Path dir = PrivateDirectory.create(tmp.resolve("a/b/keys"));

        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(Files.isDirectory(tmp.resolve("a/b"))).isTrue();
    }

    @Test
    void create_existingDirectory_keepsItsPermissions(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));

        PrivateDirectory.create(dir);

        assertThat(mode(dir)).isEqualTo("rwxr-x---");
    }

    @Test
    void create_pathIsAFile_throws(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");

        assertThatThrownBy(() -> PrivateDirectory.create(file)).isInstanceOf(FileAlreadyExistsException.class);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
