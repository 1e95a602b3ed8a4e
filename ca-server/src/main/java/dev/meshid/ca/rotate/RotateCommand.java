package dev.meshid.ca.rotate;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code meshid ca rotate}: the three steps of a root rotation with plug-in CA files, each refused while it
 * would break trust. Exit codes: 0 done, 1 refused or failed (one line on stderr says why and what to do),
 * 2 usage error.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        header = "Rotate the CA's root and signing CA without failed handshakes.",
        description = {"1. add-root: trust the new root beside the old one; wait until every agent has acked it.",
            "2. switch: sign with the new intermediate.",
            "3. remove-root: drop the old root once no valid leaf depends on it.",
            "'status' shows where a rotation stands."},
        footer = {"", "Exit codes: 0 done, 1 refused or failed, 2 usage error."})
public final class RotateCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int REFUSED = 1;

    @Spec
    CommandSpec spec;

    /** The command with its subcommands, on {@code clock}. */
    public static CommandLine commandLine(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        CommandLine cl = new CommandLine(new RotateCommand());
        cl.addSubcommand(new CommandLine(new StatusCommand(clock)));
        cl.addSubcommand(new CommandLine(new AddRootCommand(clock)));
        cl.addSubcommand(new CommandLine(new SwitchCommand(clock)));
        cl.addSubcommand(new CommandLine(new RemoveRootCommand(clock)));
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
