package dev.meshid.certs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A stand-in for {@code bin/meshid} in the Makefile tests: {@code meshid certs ...} from this module's
 * classes, so the tests need no packaged distribution.
 */
public final class TestMeshidMain {
    private TestMeshidMain() {
    }

    @Command(name = "meshid")
    static final class Top implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("no subcommand");
        }
    }

    public static void main(String[] args) {
        CommandLine top = new CommandLine(new Top()).addSubcommand(CertsCommand.commandLine(CertsContext.system()));
        System.exit(ExitCodes.install(top).execute(args));
    }
}
