package dev.meshid.ca.bench;

import dev.meshid.ca.CaCommand;

/**
 * Runs {@code meshid ca} straight from the ca-server classpath, so that the benchmark does not depend on the
 * launcher having registered the command. Arguments are {@code meshid ca}'s flags. A plain {@code main}, not a
 * test: it never runs under {@code mvn test}.
 */
public final class BenchCa {
    private BenchCa() {
    }

    public static void main(String[] args) {
        System.exit(CaCommand.commandLine().execute(args));
    }
}
