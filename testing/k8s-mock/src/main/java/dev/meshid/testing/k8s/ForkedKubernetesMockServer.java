package dev.meshid.testing.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * fabric8's Kubernetes mock API server in CRUD mode, with working watches and informers, running in a
 * child JVM on its own Vert.x 4 classpath, so tests of modules on Vert.x 5 can use it.
 *
 * <p>Usage: depend on {@code dev.meshid:meshid-k8s-mock} in test scope with an exclusion of
 * {@code *:*} (only this small jar reaches your classpath; bring your own {@code kubernetes-client} and
 * {@code kubernetes-httpclient-jdk}), then:
 * <pre>{@code
 * try (ForkedKubernetesMockServer server = ForkedKubernetesMockServer.start();
 *      KubernetesClient client = server.newClient()) {
 *     client.secrets().inNamespace("test").resource(secret).create();
 * }
 * }</pre>
 * Or pass {@link #clientConfig()} / {@link #url()} to the code under test. The child's stderr goes to
 * {@link #logFile()} ({@code target/k8s-mock/} when the working directory has a {@code target}).
 * The child exits when this object is closed, and also when the parent JVM dies (its stdin closes).
 */
public final class ForkedKubernetesMockServer implements AutoCloseable {

    /** The namespace {@link #clientConfig()} sets; the mock server creates namespaces on demand. */
    public static final String NAMESPACE = "test";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);

    private final Process process;
    private final String url;
    private final Path logFile;

    private ForkedKubernetesMockServer(Process process, String url, Path logFile) {
        this.process = process;
        this.url = url;
        this.logFile = logFile;
    }

    /**
     * Launches the child JVM and waits (at most 30 s) until it announces its URL.
     *
     * @throws IllegalStateException if the child cannot be launched, exits early or is too slow; the
     *     message names its log and quotes the log's end
     */
    public static ForkedKubernetesMockServer start() {
        Path log = ChildLog.create();
        Process process;
        try {
            process = new ProcessBuilder(ChildJvm.command())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch the mock API server's JVM (log: " + log + ")", e);
        }
        CompletableFuture<String> announced = ChildLog.readAnnouncement(process, MockApiServerMain.URL_LINE_PREFIX);
        try {
            String url = announced.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new ForkedKubernetesMockServer(process, url, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            throw new IllegalStateException("interrupted while the mock API server started", e);
        } catch (ExecutionException | TimeoutException e) {
            stop(process);
            String why = e instanceof TimeoutException ? "did not announce its URL within " + START_TIMEOUT.toSeconds()
                    + " s" : "exited before announcing its URL";
            throw new IllegalStateException("the mock API server's JVM " + why + "; its log " + log
                    + " ends with:\n" + ChildLog.tail(log), e);
        }
    }

    /** The server's base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return url;
    }

    /** Where the child's stderr (its logs) goes. */
    public Path logFile() {
        return logFile;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * A client configuration for this server: no kubeconfig or environment read, no credentials,
     * namespace {@value #NAMESPACE}, HTTP/1.1, and short timeouts and retries so a broken test fails fast.
     */
    public Config clientConfig() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withTrustCerts(true)
                .withNamespace(NAMESPACE)
                .withHttp2Disable(true)
                .withConnectionTimeout(5_000)
                .withRequestTimeout(10_000)
                .withRequestRetryBackoffLimit(1)
                .withRequestRetryBackoffInterval(100)
                .withWatchReconnectInterval(200)
                .build();
    }

    /** A new client on {@link #clientConfig()} with the JDK HTTP client; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder()
                .withConfig(clientConfig())
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
    }

    /** Stops the child and waits until it is gone. Safe to call more than once. */
    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        try {
            // End of input is the child's own stop signal; SIGTERM and SIGKILL are the fall-backs.
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already closed: the fall-backs below still apply.
        }
        try {
            if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ForkedKubernetesMockServer[" + url + ", pid " + process.pid() + "]";
    }
}
