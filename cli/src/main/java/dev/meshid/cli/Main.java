package dev.meshid.cli;

import dev.meshid.agent.AgentCommand;
import dev.meshid.ca.CaCommand;
import dev.meshid.certs.CertsCommand;
import dev.meshid.certs.CertsContext;
import dev.meshid.certs.ExitCodes;
import dev.meshid.certs.HelpOption;
import dev.meshid.demo.DemoCommand;
import dev.meshid.proxy.ProxyCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
    /**
     * Every program by its subcommand name, in the order {@code meshid --help} lists them. Adding a program is one
     * line here. Suppliers, so that running one program loads none of the others' classes: {@code bin/meshid agent}
     * runs on the agent's own, smaller class path (bin/jvm-classpath), where the CA's or the proxy's would not load.
     */
    static Map<String, Supplier<CommandLine>> programs() {
        Map<String, Supplier<CommandLine>> programs = new LinkedHashMap<>();
        programs.put("certs", () -> CertsCommand.commandLine(CertsContext.system()));
        programs.put("ca", () -> CaCommand.commandLine());
        programs.put("agent", () -> AgentCommand.commandLine());
        programs.put("proxy", () -> new CommandLine(new ProxyCommand()));
        programs.put("demo", () -> DemoCommand.commandLine());
        // Lambdas, not method references: a method reference resolves its class when this map is built.
        return programs;
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
        return commandLine(List.copyOf(programs().keySet()));
    }

    /**
     * The command tree for {@code args}: only the named program when the first argument names one, so its run loads
     * nothing of the others; the whole tree otherwise (help, version, a mistyped name).
     */
    static CommandLine commandLineFor(String... args) {
        return args.length > 0 && programs().containsKey(args[0]) ? commandLine(List.of(args[0])) : commandLine();
    }

    private static CommandLine commandLine(List<String> names) {
        CommandLine cl = new CommandLine(new Main());
        Map<String, Supplier<CommandLine>> programs = programs();
        names.forEach(name -> cl.addSubcommand(name, programs.get(name).get()));
        return ExitCodes.install(cl);
    }

    public static void main(String[] args) {
        System.exit(commandLineFor(args).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
