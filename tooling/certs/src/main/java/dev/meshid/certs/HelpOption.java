package dev.meshid.certs;

import picocli.CommandLine.Option;

/** The {@code --help} option every meshid command has (mixed in). */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
