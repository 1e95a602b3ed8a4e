package dev.meshid.demo;

import dev.meshid.agent.AgentCommand;
import dev.meshid.ca.CaCommand;
import dev.meshid.proxy.ProxyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The servers' subcommands behind one main, as {@code dev.meshid.cli.Main} has them (cli depends on this module,
 * so its Main is not on this module's test class path). The demo's children run this in the integration test.
 */
@Command(name = "meshid")
public final class TestMeshidMain {
    private TestMeshidMain() {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new TestMeshidMain())
                .addSubcommand(CaCommand.commandLine())
                .addSubcommand(AgentCommand.commandLine())
                .addSubcommand(new CommandLine(new ProxyCommand()));
        System.exit(cl.execute(args));
    }
}
