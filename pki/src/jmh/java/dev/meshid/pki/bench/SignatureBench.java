package dev.meshid.pki.bench;

import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Signatures per second, single thread, for each crypto provider meshid could use: the JDK's own (SunEC,
 * SunRsaSign), BouncyCastle and ACCP. The CA signs one certificate per request, so sign/s bounds its
 * throughput; verify/s bounds CSR intake and chain checks. Run through {@code pki/bench/run-crypto-bench.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignatureBench {
    /** About the size of the to-be-signed part of a workload certificate. */
    private static final byte[] MESSAGE = "x".repeat(600).getBytes(StandardCharsets.US_ASCII);

    @Param({"JDK", "BC", "ACCP"})
    public String provider;

    @Param({"EC_P256", "RSA_2048", "RSA_4096"})
    public String alg;

    private Signature signer;
    private Signature verifier;
    private byte[] signature;

    @Setup
    public void setUp() throws GeneralSecurityException {
        KeyAlgorithm a = KeyAlgorithm.valueOf(alg);
        Provider p = provider(provider, a);
        KeyPair keys = Keys.generate(a, p);
        signer = Signature.getInstance(a.signatureAlgorithm(), p);
        signer.initSign(keys.getPrivate());
        verifier = Signature.getInstance(a.signatureAlgorithm(), p);
        verifier.initVerify(keys.getPublic());
        signature = sign();
        if (!verify()) {
            throw new IllegalStateException(provider + " cannot verify its own " + a.label() + " signature");
        }
    }

    @Benchmark
    public byte[] sign() throws GeneralSecurityException {
        signer.update(MESSAGE);
        return signer.sign();
    }

    @Benchmark
    public boolean verify() throws GeneralSecurityException {
        verifier.update(MESSAGE);
        return verifier.verify(signature);
    }

    private static Provider provider(String name, KeyAlgorithm a) {
        return switch (name) {
            case "JDK" -> Security.getProvider(a.isEc() ? "SunEC" : "SunRsaSign");
            case "BC" -> CryptoProvider.bouncyCastle();
            case "ACCP" -> {
                StringBuilder why = new StringBuilder();
                yield CryptoProvider.accp(why).orElseThrow(() -> new IllegalStateException(why.toString()));
            }
            default -> throw new IllegalArgumentException("unknown provider " + name + "; use JDK, BC or ACCP");
        };
    }
}
