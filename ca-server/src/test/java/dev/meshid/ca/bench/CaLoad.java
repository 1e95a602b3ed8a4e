package dev.meshid.ca.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The CA load driver, a plain {@code main} (never run by {@code mvn test}): {@code token} writes the JWKS file
 * the CA verifies with and a service-account JWT; {@code run} loads a CA and reports; {@code cost} times the
 * stages of one request in process. Driven by
 * {@code ca-server/bench/ca-bench.sh}.
 */
@Command(name = "ca-load", mixinStandardHelpOptions = true, subcommands = {TokenCommand.class, RunCommand.class, CostCommand.class},
        description = "Load driver for the meshid CA (any Istio-compatible CA API).")
public final class CaLoad implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CaLoad()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
