package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.testing.TlsProbe;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA's listeners against hostile or careless clients: TLS policy checked with openssl, admin endpoints
 * only on the HTTP port, request size limits, and slow clients (a TLS handshake never finished, an HTTP/2
 * preface never sent) disconnected after the configured timeouts while a normal client is still served.
 * The slow-client test runs its own CA with 3 s timeouts (enough for a cold handshake on a loaded machine); the defaults are in docs/configuration.md.
 */
class ListenerHardeningE2ETest {
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static CaFixture ca;

    @BeforeAll
    static void start() throws Exception {
        ca = new CaFixture(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        ca.close();
    }

    @Test
    void grpcPort_offersOnlyTls12EcdheAeadAndTls13() {
        List<String> report = TlsProbe.assertModernOnly(ca.address, List.of());

        System.out.println("CA gRPC port TLS policy:\n  " + String.join("\n  ", report));
    }

    @Test
    void grpcPort_doesNotServeMetricsHealthOrBundle_httpPortDoes() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String path : List.of("/metrics", "/healthz/ready", "/bundle", "/debug")) {
            String onGrpc = http11OverTls(path);
            assertThat(onGrpc).as(path + " on the gRPC port").doesNotStartWith("HTTP/1.1 200")
                    .doesNotContain("# TYPE").doesNotContain("BEGIN CERTIFICATE");
        }
        HttpResponse<String> metrics = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ca.server.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE");
    }

    @Test
    void grpcPort_oversizedMessage_isRefusedWithAStatus_andTheCaStillServes() throws Exception {
        // Above the transport limit (twice the 64 KiB CSR limit plus 64 KiB).
        IstioCertificateRequest huge = IstioCertificateRequest.newBuilder().setCsr("A".repeat(4 << 20)).build();
        assertThatThrownBy(() -> ca.stub(CaFixture.bearer(ca.tokens.token("default", "web"))).createCertificate(huge))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    System.out.println("oversized message: " + e.getStatus());
                    // Vert.x's gRPC transport answers it itself, with the status but no message.
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                });
        // Within the transport limit but above the CSR limit: the policy's clear INVALID_ARGUMENT.
        IstioCertificateRequest big = IstioCertificateRequest.newBuilder().setCsr("A".repeat(100_000)).build();
        assertThatThrownBy(() -> ca.stub(CaFixture.bearer(ca.tokens.token("default", "web"))).createCertificate(big))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    System.out.println("oversized CSR: " + e.getStatus());
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("65536-byte limit");
                });

        assertThat(ca.issue("default", "web").getCertChainList()).isNotEmpty();
    }

    @Test
    void httpPort_oversizedHeaders_areRefused() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", ca.server.httpPort()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /healthz/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024)
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            System.out.println("64 KiB header on the HTTP port: " + status);
            assertThat(status).matches("HTTP/1\\.1 (431|400|413)");
        }
    }

    @Test
    void slowClients_handshakeNeverFinishedOrPrefaceNeverSent_areClosed_whileANormalClientIsServed()
            throws Exception {
        ScheduledExecutorService drip = Executors.newScheduledThreadPool(1);
        List<Socket> stalled = new ArrayList<>();
        Path own = java.nio.file.Files.createDirectories(dir.resolve("short-timeouts"));
        try (CaFixture ca = new CaFixture(own, Map.of(Setting.TLS_HANDSHAKE_TIMEOUT, "3s", Setting.IDLE_TIMEOUT, "3s"))) {
            // Half of them start a TLS record and then send one byte every 200 ms; never a complete ClientHello.
            for (int i = 0; i < 10; i++) {
                Socket s = new Socket();
                s.connect(ca.address, 5000);
                OutputStream out = s.getOutputStream();
                out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
                drip.scheduleAtFixedRate(() -> {
                    try {
                        out.write('x');
                    } catch (IOException closedByServer) {
                        throw new IllegalStateException(closedByServer);
                    }
                }, 200, 200, TimeUnit.MILLISECONDS);
                stalled.add(s);
            }
            // The other half finish TLS, then never send the HTTP/2 preface.
            for (int i = 0; i < 10; i++) {
                SSLSocket s = (SSLSocket) trustingRoot(ca).getSocketFactory().createSocket();
                s.connect(ca.address, 5000);
                s.startHandshake();
                stalled.add(s);
            }

            assertThat(ca.issue("default", "web").getCertChainList()).as("a normal client meanwhile").isNotEmpty();
            long start = System.nanoTime();
            for (Socket s : stalled) {
                assertThat(closedByServer(s)).as("stalled connection closed within %s", CLOSED_WITHIN).isTrue();
            }
            System.out.printf("20 stalled connections all closed by the CA within %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            drip.shutdownNow();
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    /** One HTTP/1.1 GET on the gRPC port over TLS; what came back before the server closed or went quiet. */
    private static String http11OverTls(String path) throws Exception {
        try (SSLSocket s = (SSLSocket) trustingRoot().getSocketFactory().createSocket()) {
            s.connect(ca.address, 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(got);
            } catch (IOException timeoutOrReset) {
                // what arrived is what counts
            }
            return got.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads until the server closes (EOF or reset); false if it is still open after {@link #CLOSED_WITHIN}. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout((int) CLOSED_WITHIN.toMillis());
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // a TLS alert or anything else the server says before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException | javax.net.ssl.SSLException e) {
            return true;
        }
    }

    private static SSLContext trustingRoot() throws Exception {
        return trustingRoot(ca);
    }

    private static SSLContext trustingRoot(CaFixture ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", ca.root.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
