package dev.meshid.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (Implementation-Version), {@code dev} when run from classes. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"meshid " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
}
