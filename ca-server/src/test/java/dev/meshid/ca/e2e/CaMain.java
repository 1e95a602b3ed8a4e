package dev.meshid.ca.e2e;

import dev.meshid.ca.CaCommand;

/** {@code meshid ca} as a process of its own, for {@link CaCommandProcessTest}. */
final class CaMain {
    private CaMain() {
    }

    public static void main(String[] args) {
        System.exit(CaCommand.commandLine().execute(args));
    }
}
