package dev.meshid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramTest {

    @Test
    void flagsFor_subcommandLine_isSplitIntoOptions(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("jvm-flags"), "# comment\nagent=-Xmx32m  -Xss256k\ndefault=-Xshare:auto\n");
        assertThat(Program.flagsFor("agent", f)).containsExactly("-Xmx32m", "-Xss256k");
    }

    @Test
    void launcherEnvironment_agentAndProxy_capMallocArenasLikeTheLauncher() throws Exception {
        String launcher = Files.readString(Program.flagsFile().orElseThrow().resolveSibling("meshid"));
        assertThat(launcher).contains("proxy|agent) export MALLOC_ARENA_MAX=\"${MALLOC_ARENA_MAX:-2}\"");
        assertThat(Program.AGENT.launcherEnvironment()).containsEntry("MALLOC_ARENA_MAX", "2");
        assertThat(Program.PROXY.launcherEnvironment()).containsEntry("MALLOC_ARENA_MAX", "2");
        assertThat(Program.CA.launcherEnvironment()).isEmpty();
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

    @Test
    void classPathFor_subcommandLine_namesEachJarOfTheDistribution(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        for (String jar : List.of("meshid-cli-0.1.0.jar", "meshid-cli-extra-1.0.jar", "picocli-4.7.7.jar", "x-1.jar")) {
            Files.createFile(lib.resolve(jar));
        }
        Path f = Files.writeString(dir.resolve("jvm-classpath"), "# comment\nagent=meshid-cli  picocli\n");

        assertThat(Program.classPathFor("agent", f, lib))
                .hasValue(lib.resolve("meshid-cli-0.1.0.jar") + ":" + lib.resolve("picocli-4.7.7.jar"));
        assertThat(Program.classPathFor("proxy", f, lib)).as("no line: the whole distribution").isEmpty();
    }

    @Test
    void classPathFor_aMissingJar_fallsBackToTheWholeDistribution(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.createFile(lib.resolve("meshid-cli-0.1.0.jar"));
        Path f = Files.writeString(dir.resolve("jvm-classpath"), "agent=meshid-cli meshid-node-agent\n");

        assertThat(Program.classPathFor("agent", f, lib)).isEmpty();
    }

    @Test
    void launcher_runsAProgramWithoutALineOnTheWholeDistribution_andTestsOnTheirOwnClassPath(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Launcher onDist = new Launcher(Path.of("java"), lib + "/*", Launcher.MESHID_MAIN);

        assertThat(onDist.classPathFor(Program.PROXY)).isEqualTo(lib + "/*");
        assertThat(new Launcher(Path.of("java"), "a.jar:b", Launcher.MESHID_MAIN).classPathFor(Program.AGENT))
                .as("not the distribution: the launcher's own class path").isEqualTo("a.jar:b");
    }
}
