package dev.meshid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void help_listsCertsAndExits0() {
        Result r = run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("(?m)^  certs +Create, verify and inspect");
    }

    @Test
    void unknownSubcommand_exits2WithOneLine() {
        Result r = run("nosuch");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("meshid: ", "nosuch", "meshid --help");
    }

    @Test
    void noSubcommand_printsUsageToStderrAndExits2() {
        Result r = run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: meshid", "certs");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void certsWithoutSubcommand_exits2ListingThem() {
        Result r = run("certs");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("meshid certs: missing subcommand; one of: root-ca, intermediate, workload,"
                + " verify, inspect");
    }

    @Test
    void programs_areKeyedByTheirSubcommandName() {
        Main.programs().forEach((name, program) -> assertThat(program.get().getCommandName()).isEqualTo(name));
    }

    @Test
    void commandLineFor_aProgram_buildsOnlyThatProgram() {
        assertThat(Main.commandLineFor("agent", "--help").getSubcommands()).containsOnlyKeys("agent");
        assertThat(Main.commandLineFor("--help").getSubcommands()).containsOnlyKeys(Main.programs().keySet());
        assertThat(Main.commandLineFor("nosuch").getSubcommands()).containsOnlyKeys(Main.programs().keySet());
    }
}
