package dev.meshid.ca.bench;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.ca.api.CallContext;
import dev.meshid.ca.api.CertificateService;
import dev.meshid.ca.audit.AuditEvent;
import dev.meshid.ca.audit.AuditLog;
import dev.meshid.ca.authn.AuthRequest;
import dev.meshid.ca.authn.AuthenticatorChain;
import dev.meshid.ca.authn.Caller;
import dev.meshid.ca.authn.ClientCertAuthenticator;
import dev.meshid.ca.authn.ClusterIdCheck;
import dev.meshid.ca.authn.ImpersonationPolicy;
import dev.meshid.ca.authn.JwksFile;
import dev.meshid.ca.authn.JwtAuthenticator;
import dev.meshid.ca.authn.JwtSettings;
import dev.meshid.ca.issuance.IssuanceDecision;
import dev.meshid.ca.issuance.IssuanceOptions;
import dev.meshid.ca.issuance.IssuancePolicy;
import dev.meshid.ca.issuance.IssuanceRequest;
import dev.meshid.ca.metrics.CaMetrics;
import dev.meshid.ca.signing.SignedChain;
import dev.meshid.ca.signing.Signer;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrLimits;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cost}: the CPU time of each stage of {@code CreateCertificate} inside one JVM, without network, TLS or
 * gRPC: the same classes the CA wires ({@link CertificateService}, JWT authentication against a JWKS file, the
 * issuance policy, the signer with a plug-in CA directory, the audit line), each stage timed alone on one thread
 * with {@link ThreadMXBean} CPU time, after a warm-up. Also the raw ECDSA P-256 sign/verify of the provider.
 * What the full load costs beyond the sum is the transport (TLS, HTTP/2, gRPC, Vert.x) and the JIT/GC.
 */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = "CPU cost per request of each CreateCertificate stage, in process (no network).")
final class CostCommand implements Callable<Integer> {
    @Option(names = "--cacerts-dir", required = true, description = "Istio plug-in CA files to sign with.")
    Path cacerts;
    @Option(names = "--iterations", defaultValue = "20000")
    int iterations;
    @Option(names = "--csrs", defaultValue = "200")
    int csrs;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    interface Step {
        void run(int i) throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        Clock clock = Clock.systemUTC();
        TrustDomain td = TrustDomain.parse("cluster.local");
        SpiffeId id = td.serviceAccount("default", "bench");
        String issuer = "https://kubernetes.default.svc.cluster.local";
        TokenCommand.Minted minted = TokenCommand.mint(issuer, "istio-ca", "default", "bench", Duration.ofHours(2));
        Path jwks = Files.createTempFile("bench-jwks", ".json");
        Files.writeString(jwks, minted.jwks());
        Signer signer = new Signer(clock, new SecureRandom(), IssuanceOptions.DEFAULT_MAX_TTL);
        signer.onBundle(KeyCertBundle.load(cacerts, clock));
        AuthenticatorChain authn = new AuthenticatorChain(List.of(
                new ClientCertAuthenticator(td, () -> signer.active().get().bundle().roots().roots(), clock),
                new JwtAuthenticator(JwtSettings.of(issuer, td), new JwksFile(jwks), clock)),
                ClusterIdCheck.ownOnly("Kubernetes"), ImpersonationPolicy.disabled(td));
        IssuancePolicy policy = new IssuancePolicy(new IssuanceOptions(td, IssuanceOptions.DEFAULT_TTL,
                IssuanceOptions.DEFAULT_MAX_TTL, IssuanceOptions.DEFAULT_BACKDATE, false, CsrLimits.DEFAULT));
        AuditLog audit = new AuditLog();
        CertificateService service = new CertificateService(authn, policy, signer, new CaMetrics(), audit, clock);

        List<String> pems = CsrPool.generate(csrs, id);
        String bearer = "Bearer " + minted.token();
        CallContext call = new CallContext(Optional.of(bearer), Optional.empty(), List.of(), "127.0.0.1:1");
        AuthRequest auth = new AuthRequest(Optional.of(minted.token()), List.of(), Optional.empty(), "127.0.0.1:1",
                Optional.empty());
        Caller caller = authn.authenticate(auth);
        IssuanceDecision decision = policy.decide(new IssuanceRequest(id, pems.get(0), 0));
        SignedChain chain = signer.sign(decision.spec(), decision.publicKey());
        AuditEvent event = new AuditEvent(clock.instant(), "127.0.0.1:1", id.toString(), "jwt", id.toString(),
                "0123456789abcdef", clock.instant(), "EC P-256", "OK", null);
        KeyPair ec = Keys.generate(KeyAlgorithm.EC_P256);
        byte[] message = new byte[300];
        byte[] sig = ecdsa(ec).sign();

        System.out.printf(Locale.ROOT, "%-46s %12s %12s%n", "stage (one thread, " + iterations + " iterations)",
                "CPU µs/op", "wall µs/op");
        time("full CertificateService.create", i -> service.create(IstioCertificateRequest.newBuilder()
                .setCsr(pems.get(i % pems.size())).build(), call));
        time("  authenticate (client-cert, then JWT ES256)", i -> authn.authenticate(auth));
        time("  issuance policy (CSR parse + PoP verify)", i -> policy.decide(new IssuanceRequest(caller.identity(),
                pems.get(i % pems.size()), 0)));
        time("  Signer.sign (build, sign, validate)", i -> signer.sign(decision.spec(), decision.publicKey()));
        time("  SignedChain.certChain (PEM of the chain)", i -> chain.certChain());
        time("  audit: AuditLog.toJson", i -> audit.toJson(event));
        time("  audit: AuditLog.record (JSON + log line)", i -> audit.record(event));
        time("raw ECDSA P-256 sign (" + CryptoProvider.get().getName() + ")", i -> ecdsa(ec).sign());
        time("raw ECDSA P-256 verify (" + CryptoProvider.get().getName() + ")", i -> {
            Signature v = Signature.getInstance("SHA256withECDSA", CryptoProvider.get());
            v.initVerify(ec.getPublic());
            v.update(message);
            v.verify(sig);
        });
        Files.deleteIfExists(jwks);
        return 0;
    }

    private static Signature ecdsa(KeyPair ec) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA", CryptoProvider.get());
        s.initSign(ec.getPrivate());
        s.update(new byte[300]);
        return s;
    }

    private void time(String name, Step step) throws Exception {
        for (int i = 0; i < iterations; i++) {
            step.run(i);
        }
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            step.run(i);
        }
        double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e3 / iterations;
        double wall = (System.nanoTime() - wall0) / 1e3 / iterations;
        System.out.printf(Locale.ROOT, "%-46s %12.1f %12.1f%n", name, cpu, wall);
    }
}
