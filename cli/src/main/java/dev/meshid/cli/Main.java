package dev.meshid.cli;

import dev.meshid.agent.AgentCommand;
import dev.meshid.ca.CaCommand;
import dev.meshid.certs.CertsCommand;
import dev.meshid.certs.CertsContext;
import dev.meshid.certs.ExitCodes;
import dev.meshid.certs.HelpOption;
import dev.meshid.demo.DemoCommand;
import dev.meshid.proxy.ProxyCommand;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code meshid}: one launcher, one subcommand per program (CLI.md). Exit codes: 0 ok, 1 runtime failure,
 * 2 usage or configuration error.
 */
@Command(name = "meshid", versionProvider = Version.class,
        header = "meshid: certificate authority and SPIFFE identity for service meshes.",
        description = "Wire-compatible with Istio: its CA API, its plug-in CA files, its Makefile.",
        footer = {"", "Run 'meshid COMMAND --help' for a command's options.",
                "Exit codes: 0 ok, 1 failure, 2 usage or configuration error."})
public final class Main implements Callable<Integer> {
    /** Every program, in the order {@code meshid --help} lists them. Adding a program is one line here. */
    static List<CommandLine> programs() {
        return List.of(
                CertsCommand.commandLine(CertsContext.system()),
                CaCommand.commandLine(),
                AgentCommand.commandLine(),
                new CommandLine(new ProxyCommand()),
                DemoCommand.commandLine());
    }

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    HelpOption help;

    @CommandLine.Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    private Main() {
    }

    /** The whole command tree with meshid's error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        programs().forEach(cl::addSubcommand);
        return ExitCodes.install(cl);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
