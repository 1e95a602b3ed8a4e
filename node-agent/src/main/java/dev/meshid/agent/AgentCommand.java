package dev.meshid.agent;

import dev.meshid.agent.config.AgentConfig;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigException;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.agent.config.ConfigPrinter;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meshid agent}: the node agent. Each {@link AgentSetting} is a flag with an environment twin (Istio's
 * name where Istio has the setting); flags win over the environment, the environment over the defaults. Exit
 * codes: 0 ok, 1 runtime failure, 2 configuration error (one line on stderr naming the setting).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        header = "Run the node agent: workload certificates from the CA, served over SDS and the SPIFFE Workload API.",
        description = {"Gets a certificate for spiffe://TRUST_DOMAIN/ns/POD_NAMESPACE/sa/SERVICE_ACCOUNT from CA_ADDR "
                + "with the service-account token, renews it when SECRET_GRACE_PERIOD_RATIO of its lifetime remains, "
                + "and serves it to Envoy (SDS: default, ROOTCA, file-cert:, file-root:) and to SPIFFE clients."},
        footer = {"", "Every flag has an environment twin, shown in brackets.",
            "Exit codes: 0 ok, 1 runtime failure, 2 configuration error."})
public final class AgentCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int CONFIG_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--print-config", description = "Print the effective configuration and exit.")
    boolean printConfig;

    private final Map<String, String> env;

    /** Reads {@code env} instead of the real environment (tests). */
    public AgentCommand(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** The command, reading the real environment, ready to execute or to add to the {@code meshid} launcher. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command reading {@code env}. */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new AgentCommand(env));
        for (AgentSetting s : AgentSetting.values()) {
            cl.getCommandSpec().addOption(OptionSpec.builder(s.flag()).paramLabel(label(s)).type(String.class)
                    .description(s.description() + " [" + s.env() + "]"
                            + s.defaultValue().map(d -> " (default " + (d.isEmpty() ? "empty" : d) + ")").orElse(""))
                    .build());
        }
        return cl;
    }

    private static String label(AgentSetting s) {
        String flag = s.flag().substring(2);
        return flag.endsWith("addr") ? "HOST:PORT" : flag.endsWith("socket") || flag.endsWith("path")
                || flag.endsWith("root") || flag.endsWith("dir") || flag.endsWith("certs") ? "PATH" : "VALUE";
    }

    /** The flags given on the command line. */
    Map<AgentSetting, String> flags() {
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        for (AgentSetting s : AgentSetting.values()) {
            String v = spec.findOption(s.flag()).getValue();
            if (v != null) {
                flags.put(s, v);
            }
        }
        return flags;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        AgentConfig config;
        try {
            config = ConfigLoader.load(flags(), env);
        } catch (ConfigException e) {
            err.println("meshid agent: " + e.getMessage());
            err.flush();
            return CONFIG_ERROR;
        }
        if (printConfig) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(ConfigPrinter.print(ConfigLoader.resolve(flags(), env), config));
            out.flush();
            return OK;
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (NodeAgent agent = NodeAgent.builder(config).start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "meshid-agent-shutdown"));
            stop.await();
            return OK;
        } catch (Exception e) {
            err.println("meshid agent: " + e.getMessage());
            err.flush();
            return FAILURE;
        }
    }
}
