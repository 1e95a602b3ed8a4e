package dev.meshid.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meshid demo}: a CA, a local token issuer standing in for Kubernetes, two agents, two proxies and two apps
 * on loopback, then the Bookinfo details-viewer scenario, one line per step. The servers are child processes of
 * the launcher's own class path. Everything is cleaned up on exit and on Ctrl-C. Exit codes: 0 every step
 * passed, 1 a step failed (named), 2 usage error.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Run meshid end to end on this machine (loopback only) and check it step by step.",
        description = {"Starts a CA (root and intermediate from 'meshid certs'), a local service-account token issuer, "
                + "agents and proxies for bookinfo-productpage and bookinfo-details, then checks: GET allowed, POST and "
                + "/ping denied by the details-viewer policy, plaintext refused by STRICT mTLS, a certificate rotation "
                + "under traffic without a failed request, and the issued chain with 'meshid certs inspect' and "
                + "'openssl verify'."},
        footer = {"", "Exit codes: 0 every step passed, 1 a step failed, 2 usage error."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keep-running", description = "Leave everything running and print curl commands; Ctrl-C stops it.")
    boolean keepRunning;

    @Option(names = "--self-signed", description = "Let the CA make its own self-signed root instead of the tooling's.")
    boolean selfSigned;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Keep keys, tokens, sockets and logs here (default: a temporary directory, removed on exit).")
    Path workdir;

    private final Launcher launcher;

    /** Starts the children with the launcher of this JVM ({@code bin/meshid}'s main class). */
    public DemoCommand() {
        this(Launcher.ofRunningJvm(Launcher.MESHID_MAIN));
    }

    /** Starts the children with {@code launcher} (tests pass one with a test main class). */
    public DemoCommand(Launcher launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    /** The command, ready to execute or to add to the {@code meshid} launcher. */
    public static CommandLine commandLine() {
        return new CommandLine(new DemoCommand());
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        boolean temporary = workdir == null;
        Path dir = temporary ? Files.createTempDirectory("meshid-demo-")
                : Files.createDirectories(workdir.toAbsolutePath().normalize());
        Topology topology = new Topology(dir, Topology.Ports.of(FreePorts.pick(10)), selfSigned);
        Path longest = topology.sdsSocket(Topology.PRODUCTPAGE);
        if (longest.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Topology.MAX_SOCKET_PATH) {
            if (temporary) {
                deleteTree(dir);
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "--workdir " + dir + " is too long for the "
                    + "agents' Unix sockets (" + longest + " is over " + Topology.MAX_SOCKET_PATH
                    + " bytes); give a shorter directory");
        }
        StepRunner steps = new StepRunner(out);
        Session session = new Session(temporary ? dir : null, out);
        Thread hook = new Thread(session::close, "meshid-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("meshid demo: work directory " + dir + (temporary ? " (removed on exit)" : " (kept)"));
        out.flush();
        try {
            session.mesh = Mesh.create(topology, launcher);
            session.mesh.boot(steps, out);
            if (steps.failures().isEmpty()) {
                new Scenario(session.mesh, steps, out).play();
            }
            out.printf("meshid demo: %s (%.1fs; CPU used: %s)%n", steps.summary(), (System.nanoTime() - start) / 1e9,
                    session.mesh.children.cpuTimes());
            out.flush();
            if (keepRunning && steps.failures().isEmpty()) {
                printHowToCall(out, session.mesh);
                new CountDownLatch(1).await(); // until Ctrl-C; the shutdown hook cleans up
            }
            return steps.exitCode();
        } finally {
            session.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs (and finds nothing left to do)
            }
        }
    }

    private static void printHowToCall(PrintWriter out, Mesh mesh) {
        Topology t = mesh.topology;
        Path certs = t.outputCerts();
        out.println();
        out.println("Everything keeps running (Ctrl-C stops it). Logs: " + t.log("x").getParent());
        out.println("# productpage -> details through productpage's proxy (allowed, then denied twice):");
        out.println("  " + Commands.shell(Commands.curlOutbound(t, "GET", "/details/0")));
        out.println("  " + Commands.shell(Commands.curlOutbound(t, "POST", "/details/0")));
        out.println("  " + Commands.shell(Commands.curlOutbound(t, "GET", "/ping")));
        out.println("# straight to details' STRICT port as productpage, with its OUTPUT_CERTS files");
        out.println("# (-k: curl checks host names and mesh certificates carry SPIFFE IDs; the proxy checks yours):");
        out.println("  " + Commands.shell(Commands.curlStrict(t, certs)));
        out.println("# the same handshake with the chain verified against the root:");
        out.println("  " + Commands.shell(Commands.sClient(t, certs, mesh.trustRoot)));
        out.println("# plaintext to the STRICT port (refused):");
        out.println("  curl -sS http://127.0.0.1:" + t.ports().detailsInbound() + "/details/0");
        out.println("# the agents' certificates, and a proxy's metrics:");
        out.println("  curl -sS http://127.0.0.1:" + t.ports().detailsAgentAdmin() + "/debug/certs");
        out.println("  curl -sS http://127.0.0.1:" + t.ports().detailsProxyAdmin() + "/stats/prometheus");
        out.flush();
    }

    /** What to clean up, once, from the normal path or the shutdown hook (Ctrl-C). */
    private static final class Session {
        private final Path removeOnClose;
        private final PrintWriter out;
        volatile Mesh mesh;
        private boolean closed;

        Session(Path removeOnClose, PrintWriter out) {
            this.removeOnClose = removeOnClose;
            this.out = out;
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            int stopped = 0;
            if (mesh != null) {
                stopped = mesh.children.all().size();
                mesh.close();
            }
            if (removeOnClose != null) {
                deleteTree(removeOnClose);
            }
            out.println("meshid demo: stopped " + stopped + " processes" + (removeOnClose == null ? ""
                    : ", removed " + removeOnClose));
            out.flush();
        }
    }

    static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("meshid demo: could not remove " + root + ": " + e.getMessage());
        }
    }

    /** Runs the demo on its own (the failsafe test and a dist without the launcher entry use this). */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
