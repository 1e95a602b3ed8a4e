package dev.meshid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramTest {

    @Test
    void flagsFor_subcommandLine_isSplitIntoOptions(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("jvm-flags"), "# comment\nagent=-Xmx32m  -Xss256k\ndefault=-Xshare:auto\n");
        assertThat(Program.flagsFor("agent", f)).containsExactly("-Xmx32m", "-Xss256k");
    }

    @Test
    void flagsFor_unknownSubcommand_fallsBackToDefault(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("jvm-flags"), "agent=-Xmx32m\ndefault=-Xshare:auto\n");
        assertThat(Program.flagsFor("proxy", f)).containsExactly("-Xshare:auto");
    }

    @Test
    void jvmFlags_inThisRepository_matchTheLaunchersFile() throws Exception {
        Path file = Program.flagsFile().orElseThrow();
        String agentLine = Files.readAllLines(file).stream().filter(l -> l.startsWith("agent=")).findFirst().orElseThrow();
        assertThat(String.join(" ", Program.AGENT.jvmFlags())).isEqualTo(agentLine.substring("agent=".length()).trim());
    }
}
