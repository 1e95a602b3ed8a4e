package dev.meshid.ca.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.meshid.pki.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A TEST DOUBLE of HashiCorp Vault, not Vault: a loopback HTTP(S) server that answers the few endpoints meshid
 * calls the way Vault's API documentation says, so that the real Vault Java driver can be driven in tests (no
 * Vault server can run on the build machines). Documented behaviour it follows:
 * <ul>
 *   <li>Errors are {@code {"errors": [...]}} with 400 (bad request), 403 ("permission denied": missing policy or
 *       invalid token), 404 (nothing at the path, {@code "errors": []}) and 503 ("Vault is sealed"):
 *       https://developer.hashicorp.com/vault/api-docs#http-status-codes. The token comes in
 *       {@code X-Vault-Token}; a namespace in {@code X-Vault-Namespace}:
 *       https://developer.hashicorp.com/vault/docs/enterprise/namespaces.</li>
 *   <li>{@code GET /v1/sys/health}: 200 active, 429 standby, 472 DR secondary, 473 performance standby, 501 not
 *       initialized, 503 sealed; {@code standbyok}/{@code perfstandbyok} and the {@code *code} parameters:
 *       https://developer.hashicorp.com/vault/api-docs/system/health.</li>
 *   <li>{@code GET /v1/auth/token/lookup-self}, {@code POST /v1/auth/token/renew-self} (400 for a token that is
 *       not renewable): https://developer.hashicorp.com/vault/api-docs/auth/token.</li>
 *   <li>{@code POST /v1/auth/kubernetes/login} ({@code role}, {@code jwt}):
 *       https://developer.hashicorp.com/vault/api-docs/auth/kubernetes#login; {@code POST /v1/auth/approle/login}
 *       ({@code role_id}, {@code secret_id}): https://developer.hashicorp.com/vault/api-docs/auth/approle#login-with-approle.
 *       Both answer {@code {"auth": {"client_token", "lease_duration", "renewable", "policies", ...}}}.</li>
 *   <li>{@code GET /v1/sys/internal/ui/mounts/<path>}: the mount holding the path, with {@code type} and
 *       {@code options.version}, for a token with capabilities under it:
 *       https://developer.hashicorp.com/vault/api-docs/system/internal-ui-mounts.</li>
 *   <li>KV v1 {@code GET /v1/<mount>/<path>} → {@code {"data": {...}}}:
 *       https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v1#read-secret; KV v2
 *       {@code GET /v1/<mount>/data/<path>} → {@code {"data": {"data": {...}, "metadata": {"version": N, ...}}}}:
 *       https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2#read-secret-version.</li>
 *   <li>PKI {@code POST /v1/<mount>/root/sign-intermediate} and {@code /v1/<mount>/issuer/<ref>/sign-intermediate}
 *       (request {@code csr}, {@code common_name}, {@code format}, {@code ttl}, {@code use_csr_values}; answer
 *       {@code data.certificate}, {@code issuing_ca}, {@code ca_chain}, {@code serial_number}, {@code expiration}):
 *       https://developer.hashicorp.com/vault/api-docs/secret/pki#sign-intermediate; {@code GET /v1/<mount>/ca_chain}
 *       (PEM text, unauthenticated, the default issuer's full chain):
 *       https://developer.hashicorp.com/vault/api-docs/secret/pki#read-default-issuer-certificate-chain.</li>
 * </ul>
 * Policies are modelled as path patterns per token (Vault's {@code path "..."} with a trailing {@code *} glob);
 * capabilities are not distinguished. Signing roots are made at test time by {@link TestPki}.
 */
public final class VaultTestDouble implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The node state {@code sys/health} reports. */
    enum Health {
        ACTIVE(200), STANDBY(429), DR_SECONDARY(472), PERF_STANDBY(473), UNINITIALIZED(501), SEALED(503);

        final int code;

        Health(int code) {
            this.code = code;
        }
    }

    /** A request as the double saw it. */
    record Request(String method, String path, String token, String namespace, String body) {
    }

    record Token(String id, List<String> policies, Duration ttl, boolean renewable, long issuedAtMillis, String ns) {
    }

    record Login(String secret, Duration ttl, List<String> policies) {
    }

    record PkiMount(Map<String, TestPki.Issued> issuers, String defaultIssuer) {
    }

    final Clock clock;
    private final HttpServer server;
    final Map<String, Token> tokens = new ConcurrentHashMap<>();
    final Map<String, Integer> kvMounts = new ConcurrentHashMap<>();
    final Map<String, List<JsonNode>> kvData = new ConcurrentHashMap<>();
    final Map<String, PkiMount> pkiMounts = new ConcurrentHashMap<>();
    final Map<String, Login> kubernetesRoles = new ConcurrentHashMap<>();
    final Map<String, Login> appRoles = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final VaultDoublePki pki;
    volatile Health health = Health.ACTIVE;
    volatile VaultDoublePki.Mode signMode = VaultDoublePki.Mode.NORMAL;
    volatile String namespace;
    public volatile java.security.cert.X509Certificate lastSigned;
    volatile VaultDoublePki.Mode lastSignedMode;
    private int counter;

    private VaultTestDouble(Clock clock, HttpServer server) {
        this.clock = clock;
        this.server = server;
        this.pki = new VaultDoublePki(clock);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A plain-HTTP double on 127.0.0.1 and a free port. */
    public static VaultTestDouble http(Clock clock) throws IOException {
        return new VaultTestDouble(clock, HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    /** A plain-HTTP double on 127.0.0.1 and the given port (to bring Vault "back" where a source expects it). */
    static VaultTestDouble http(Clock clock, int port) throws IOException {
        return new VaultTestDouble(clock, HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** An HTTPS double presenting a certificate for {@code localhost} from {@code tls}. */
    static VaultTestDouble https(Clock clock, SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new VaultTestDouble(clock, s);
    }

    public String address() {
        String scheme = server instanceof HttpsServer ? "https://localhost:" : "http://127.0.0.1:";
        return scheme + server.getAddress().getPort();
    }

    /** A token with these policy paths; {@code ttl} zero means it never expires. */
    public synchronized String addToken(Duration ttl, boolean renewable, String... policyPaths) {
        String id = "hvs.double-" + (++counter);
        tokens.put(id, new Token(id, List.of(policyPaths), ttl, renewable, clock.millis(), namespace));
        return id;
    }

    public void mountKv(String mount, int version) {
        kvMounts.put(mount, version);
    }

    /** Writes a new version of the secret at {@code mount/secret}; returns the KV v2 version. */
    public int putKv(String path, Map<String, ?> fields) {
        return putKvRaw(path, JSON.valueToTree(fields));
    }

    synchronized int putKvRaw(String path, JsonNode data) {
        List<JsonNode> versions = kvData.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
        versions.add(data);
        return versions.size();
    }

    /** Enables a PKI mount with one root issuer (the default) made now by TestPki; returns that root. */
    public TestPki.Issued mountPki(String mount, String issuerName) {
        TestPki.Issued root = TestPki.root("vault " + mount + " " + issuerName).validFor(Duration.ofDays(3650))
                .at(clock).build();
        Map<String, TestPki.Issued> issuers = new ConcurrentHashMap<>();
        issuers.put(issuerName, root);
        pkiMounts.put(mount, new PkiMount(issuers, issuerName));
        return root;
    }

    /** Adds another root issuer to a PKI mount (not the default). */
    TestPki.Issued addIssuer(String mount, String issuerName) {
        TestPki.Issued root = TestPki.root("vault " + mount + " " + issuerName).validFor(Duration.ofDays(3650))
                .at(clock).build();
        pkiMounts.get(mount).issuers().put(issuerName, root);
        return root;
    }

    void kubernetesRole(String role, String jwt, Duration ttl, String... policyPaths) {
        kubernetesRoles.put(role, new Login(jwt, ttl, List.of(policyPaths)));
    }

    void appRole(String roleId, String secretId, Duration ttl, String... policyPaths) {
        appRoles.put(roleId, new Login(secretId, ttl, List.of(policyPaths)));
    }

    public long count(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    List<String> paths() {
        List<String> out = new ArrayList<>();
        requests.forEach(r -> out.add(r.method() + " " + r.path()));
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            Request r = new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("X-Vault-Token"),
                    ex.getRequestHeaders().getFirst("X-Vault-Namespace"), body);
            requests.add(r);
            VaultDoubleRoutes.Answer a = new VaultDoubleRoutes(this).route(r, query == null ? "" : query);
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", a.contentType());
            ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
