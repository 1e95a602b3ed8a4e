package dev.meshid.ca.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.CaCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meshid ca rotate} as the launcher reaches it: under {@code meshid ca}, with usage errors and failures. */
class RotateCommandLineTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cl = CaCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void rotateHelp_underCa_listsTheFourSteps() {
        assertThat(run("rotate", "--help")).isZero();
        assertThat(out.toString()).contains("status").contains("add-root").contains("switch").contains("remove-root");
    }

    @Test
    void addRoot_withoutWhere_isAUsageError() {
        assertThat(run("rotate", "add-root", "--new-root", "x.pem")).isEqualTo(2);
        assertThat(err.toString()).contains("--cacerts-dir").contains("--secret");
    }

    @Test
    void status_caNotListening_failsSayingWhatToCheck() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(run("rotate", "status", "--ca-http", "127.0.0.1:" + port)).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the CA").contains("check --ca-http");
    }

    @Test
    void addRoot_unreadableNewRoot_isRefusedNamingTheFile() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("root.pem"), "not a certificate");
        assertThat(run("rotate", "add-root", "--cacerts-dir", dir.toString(), "--new-root",
                dir.resolve("root.pem").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("meshid ca rotate add-root: refused: --new-root " + dir.resolve("root.pem"));
    }

    @Test
    void addRoot_directoryWithoutCaFiles_isRefusedNamingWhatIsMissing() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("root.pem"), dev.meshid.pki.pem.Pem.write(
                dev.meshid.pki.testing.TestPki.root("New").build().cert()));
        java.nio.file.Path empty = java.nio.file.Files.createDirectory(dir.resolve("cacerts"));
        assertThat(run("rotate", "add-root", "--cacerts-dir", empty.toString(), "--new-root",
                dir.resolve("root.pem").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("current CA files: no plug-in CA files found");
    }
}
