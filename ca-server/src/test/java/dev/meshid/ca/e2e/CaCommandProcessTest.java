package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshid ca} as a real process (a child JVM on the test classpath), stopped with SIGTERM. */
class CaCommandProcessTest {
    private static final Pattern HTTP_PORT = Pattern.compile("health, metrics and /bundle on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern GRPC_PORT = Pattern.compile("IstioCertificateService on 127\\.0\\.0\\.1:(\\d+) \\(TLS[,)]");

    @TempDir
    Path dir;
    private Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void launch(List<String> args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", classpath, CaMain.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MESHID_") || k.startsWith("KUBERNETES_")
                || k.equals("TRUST_DOMAIN"));
        process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    log.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "ca-process-log");
        reader.setDaemon(true);
        reader.start();
    }

    private Optional<Integer> port(Pattern p) {
        for (String line : log) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return Optional.of(Integer.parseInt(m.group(1)));
            }
        }
        return Optional.empty();
    }

    private static int get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void meshidCa_realProcess_becomesReadyIssuesAndStopsOnSigterm() throws Exception {
        TestPki.Issued root = TestPki.root("Process Root").validFor(Duration.ofDays(365)).build();
        TestPki.Issued signing = root.intermediate("Process Signing").validFor(Duration.ofDays(200)).build();
        Path cacerts = dir.resolve("cacerts");
        new KeyCertBundle(signing.signer(), List.of(), new TrustBundle(List.of(root.cert()))).writePluginFiles(cacerts);
        Tokens tokens = new Tokens("k1");
        Path jwks = Files.writeString(dir.resolve("jwks.json"), tokens.jwks());

        launch(List.of("--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--cacerts-dir", cacerts.toString(),
                "--jwks-file", jwks.toString(), "--jwt-issuer", Tokens.ISSUER));

        await().atMost(Duration.ofSeconds(90)).conditionEvaluationListener(c -> {
            if (!process.isAlive()) {
                throw new AssertionError("meshid ca exited with " + process.exitValue() + ":\n" + String.join("\n", log));
            }
        }).until(() -> port(HTTP_PORT).isPresent() && port(GRPC_PORT).isPresent());
        int http = port(HTTP_PORT).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(http, "/healthz/ready") == 200);
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port(GRPC_PORT).orElseThrow(),
                TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(Pem.write(root.cert())
                        .getBytes(StandardCharsets.US_ASCII))).build()).overrideAuthority(CaFixture.AUTHORITY).build();
        try {
            IstioCertificateResponse r = IstioCertificateServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(CaFixture.bearer(
                            tokens.token("default", "web")))).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr("default", "web"))
                            .build());
            ChainChecks.check(r.getCertChainList(), List.of(root.cert()), CaFixture.id("default", "web"));
        } finally {
            channel.shutdownNow();
        }

        process.destroy(); // SIGTERM: the shutdown hook closes the CA

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s; log:%n%s", String.join("\n", log))
                .isTrue();
        assertThat(process.exitValue()).as("terminated by SIGTERM").isEqualTo(143);
        assertThatThrownBy(() -> get(http, "/healthz/live")).hasCauseInstanceOf(ConnectException.class);
        assertThat(log).noneMatch(l -> l.contains(" ERROR ") || l.contains("Exception"));
    }
}
