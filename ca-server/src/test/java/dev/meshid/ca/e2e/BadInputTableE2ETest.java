package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input over real TLS gRPC: each case gets its exact status code, and the CA still serves a good request
 * right after it.
 */
class BadInputTableE2ETest {
    private static final String NS = "default";
    private static final String SA = "web";
    private static final String ME = "spiffe://cluster.local/ns/default/sa/web";

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

    /** A request and the headers it is sent with, made from the running fixture. */
    record Call(Metadata headers, IstioCertificateRequest request) {
    }

    private static Arguments bad(String name, Status.Code code, Function<CaFixture, Call> call) {
        return Arguments.of(name, code, call);
    }

    private static Function<CaFixture, Call> csr(String pem) {
        return f -> new Call(CaFixture.bearer(f.tokens.token(NS, SA)), IstioCertificateRequest.newBuilder().setCsr(pem).build());
    }

    private static Function<CaFixture, Call> csrFrom(java.util.function.Supplier<String> pem) {
        return f -> csr(pem.get()).apply(f);
    }

    private static Function<CaFixture, Call> token(Function<CaFixture, String> token) {
        return f -> new Call(CaFixture.bearer(token.apply(f)), good());
    }

    private static Function<CaFixture, Call> header(String authorization) {
        return f -> {
            Metadata m = new Metadata();
            m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
            return new Call(m, good());
        };
    }

    private static Function<CaFixture, Call> metadata(String key, Value value) {
        return f -> new Call(CaFixture.bearer(f.tokens.token(NS, SA)), good().toBuilder()
                .setMetadata(Struct.newBuilder().putFields(key, value)).build());
    }

    private static IstioCertificateRequest good() {
        try {
            return IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr(NS, SA)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String claimsToken(CaFixture f, Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> edit) {
        return f.tokens.sign(edit.apply(Tokens.claims(NS, SA)).build());
    }

    static Stream<Arguments> cases() {
        Status.Code invalid = Status.Code.INVALID_ARGUMENT;
        Status.Code unauthenticated = Status.Code.UNAUTHENTICATED;
        Instant now = Instant.now();
        return Stream.of(
                bad("empty CSR", invalid, csr("")),
                bad("plain text instead of PEM", invalid, csr("hello, CA")),
                bad("DER 30 00 in PEM armour", invalid, csr(BadCsrs.pem(new byte[] {0x30, 0x00}))),
                bad("random bytes in PEM armour", invalid, csr(BadCsrs.pem(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))),
                bad("deeply nested DER", invalid, csr(BadCsrs.pem(nested(2000)))),
                bad("oversized CSR (80 KiB)", invalid, csr("-----BEGIN CERTIFICATE REQUEST-----\n" + "A".repeat(80_000)
                        + "\n-----END CERTIFICATE REQUEST-----\n")),
                bad("truncated CSR", invalid, csrFrom(() -> truncate(BadCsrs.withSans(BadCsrs.ec(), BadCsrs.uri(ME))))),
                bad("tampered signature", invalid, csrFrom(() -> BadCsrs.tampered(BadCsrs.withSans(BadCsrs.ec(), BadCsrs.uri(ME)), 3))),
                bad("signed by another key (no proof of possession)", invalid, csrFrom(() -> BadCsrs.csr(
                        BadCsrs.ec().getPublic(), BadCsrs.ec().getPrivate(), "", List.of(BadCsrs.uri(ME))))),
                bad("a certificate instead of a CSR", invalid, f -> csr(dev.meshid.pki.pem.Pem.write(f.root.cert())).apply(f)),
                bad("two CSR blocks", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.ec(), BadCsrs.uri(ME))
                        + BadCsrs.withSans(BadCsrs.ec(), BadCsrs.uri(ME)))),
                bad("CSR for another identity", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.ec(),
                        BadCsrs.uri("spiffe://cluster.local/ns/kube-system/sa/admin")))),
                bad("CSR for another trust domain", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.ec(),
                        BadCsrs.uri("spiffe://evil.example/ns/default/sa/web")))),
                bad("extra DNS SAN", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.ec(), BadCsrs.uri(ME),
                        new GeneralName(GeneralName.dNSName, "web.default.svc")))),
                bad("IP SAN", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.ec(), BadCsrs.uri(ME),
                        new GeneralName(GeneralName.iPAddress, "10.0.0.1")))),
                bad("email SAN", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.ec(), BadCsrs.uri(ME),
                        new GeneralName(GeneralName.rfc822Name, "web@example.com")))),
                bad("two URI SANs", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.ec(), BadCsrs.uri(ME), BadCsrs.uri(ME)))),
                bad("weak RSA 1024 key", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.generate("RSA", 1024), BadCsrs.uri(ME)))),
                bad("EC P-521 key", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.generate("EC", "secp521r1"), BadCsrs.uri(ME)))),
                bad("Ed25519 key", invalid, csrFrom(() -> BadCsrs.withSans(BadCsrs.generate("Ed25519", null), BadCsrs.uri(ME)))),
                bad("TTL above the max", invalid, f -> new Call(CaFixture.bearer(f.tokens.token(NS, SA)),
                        good().toBuilder().setValidityDuration(Duration.ofDays(91).toSeconds()).build())),
                bad("unknown CertSigner", invalid, metadata("CertSigner", Value.newBuilder().setStringValue("vault").build())),
                bad("CertSigner not a string", invalid, metadata("CertSigner", Value.newBuilder().setNumberValue(1).build())),
                bad("ImpersonatedIdentity not a SPIFFE ID", invalid, metadata("ImpersonatedIdentity",
                        Value.newBuilder().setStringValue("https://example.com/x").build())),
                bad("impersonation by an untrusted account", unauthenticated, metadata("ImpersonatedIdentity",
                        Value.newBuilder().setStringValue("spiffe://cluster.local/ns/kube-system/sa/admin").build())),
                bad("no authorization header", unauthenticated, f -> new Call(new Metadata(), good())),
                bad("Bearer without token", unauthenticated, header("Bearer ")),
                bad("Basic scheme", unauthenticated, header("Basic dXNlcjpwYXNz")),
                bad("garbage token", unauthenticated, token(f -> "not.a.jwt")),
                bad("expired token", unauthenticated, token(f -> claimsToken(f, c -> c
                        .expirationTime(Date.from(now.minus(Duration.ofHours(1))))
                        .issueTime(Date.from(now.minus(Duration.ofHours(2))))
                        .notBeforeTime(Date.from(now.minus(Duration.ofHours(2))))))),
                bad("token not valid yet", unauthenticated, token(f -> claimsToken(f, c -> c
                        .notBeforeTime(Date.from(now.plus(Duration.ofMinutes(30))))))),
                bad("wrong audience (the API server's)", unauthenticated, token(f -> claimsToken(f, c -> c
                        .audience(List.of("https://kubernetes.default.svc"))))),
                bad("wrong issuer", unauthenticated, token(f -> claimsToken(f, c -> c.issuer("https://evil.example")))),
                bad("forged: same kid, another key", unauthenticated, token(f -> Tokens.sign(Tokens.ecKey("key-1"),
                        Tokens.claims(NS, SA).build()))),
                bad("unsigned token (alg none)", unauthenticated, token(f -> Tokens.unsigned(Tokens.claims(NS, SA).build()))),
                bad("subject is not a service account", unauthenticated, token(f -> claimsToken(f, c -> c
                        .subject("system:node:worker-1")))),
                bad("unknown cluster id", unauthenticated, f -> {
                    Metadata m = CaFixture.bearer(f.tokens.token(NS, SA));
                    m.put(Metadata.Key.of("clusterid", Metadata.ASCII_STRING_MARSHALLER), "other-cluster");
                    return new Call(m, good());
                }));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("cases")
    void createCertificate_badInput_getsExactStatusAndCaKeepsServing(String name, Status.Code expected,
                                                                    Function<CaFixture, Call> make) throws Exception {
        Call call = make.apply(ca);
        long started = System.nanoTime();
        assertThatThrownBy(() -> ca.stub(call.headers()).createCertificate(call.request()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as(name + ": " + e.getStatus()).isEqualTo(expected);
                    if (expected == Status.Code.UNAUTHENTICATED) {
                        assertThat(e.getStatus().getDescription()).isEqualTo("request authenticate failure");
                    } else {
                        assertThat(e.getStatus().getDescription()).as("a reason for the client").isNotBlank();
                    }
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered promptly").isLessThan(Duration.ofSeconds(10));

        assertThat(ca.issue(NS, SA).getCertChainCount()).as("still serving after: " + name).isEqualTo(4);
    }

    private static String truncate(String pem) {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return BadCsrs.pem(java.util.Base64.getDecoder().decode(b64.substring(0, b64.length() / 2 / 4 * 4)));
    }

    private static byte[] nested(int depth) {
        // SEQUENCE { SEQUENCE { ... } } with long-form lengths, deep enough to tempt a recursive parser.
        byte[] inner = new byte[0];
        for (int i = 0; i < depth; i++) {
            int len = inner.length;
            byte[] head = len < 128 ? new byte[] {0x30, (byte) len}
                    : len < 256 ? new byte[] {0x30, (byte) 0x81, (byte) len}
                    : new byte[] {0x30, (byte) 0x82, (byte) (len >> 8), (byte) len};
            byte[] next = new byte[head.length + len];
            System.arraycopy(head, 0, next, 0, head.length);
            System.arraycopy(inner, 0, next, head.length, len);
            inner = next;
        }
        return inner;
    }

}
