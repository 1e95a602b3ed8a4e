package dev.meshid.certs;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code meshid certs}: the tooling a meshid user runs first. Root and intermediate CAs in Istio's file
 * layout, workload certificates, chain verification and readable inspection.
 */
@Command(name = "certs", header = "Create, verify and inspect CA and workload certificates.",
        description = {"Create root, intermediate and workload certificates in Istio's file layout;",
                "verify and inspect them."})
public final class CertsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    private CertsCommand() {
    }

    /**
     * The {@code certs} command with all its subcommands, using {@code context} for time and randomness, and
     * meshid's exit codes and one-line errors (see {@link ExitCodes}).
     */
    public static CommandLine commandLine(CertsContext context) {
        CommandLine cl = new CommandLine(new CertsCommand())
                .addSubcommand(new RootCaCommand(context))
                .addSubcommand(new IntermediateCommand(context))
                .addSubcommand(new WorkloadCommand(context))
                .addSubcommand(new VerifyCommand(context))
                .addSubcommand(new InspectCommand(context));
        return ExitCodes.install(cl);
    }

    @Override
    public Integer call() {
        throw Usage.error(spec, "missing subcommand; one of: " + String.join(", ", spec.subcommands().keySet()));
    }
}
