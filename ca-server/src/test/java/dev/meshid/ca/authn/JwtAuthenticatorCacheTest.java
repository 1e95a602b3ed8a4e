package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.JWSAlgorithm;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of verified tokens in {@link JwtAuthenticator}, and the JWKS file's check interval. */
class JwtAuthenticatorCacheTest {
    private static final TrustDomain TD = TrustDomain.parse("cluster.local");
    private static final Instant NOW = Instant.parse("2030-05-01T12:00:00Z");
    private static final JWK EC = TestTokens.ecKey("ec-1");
    private static final JWK RSA = TestTokens.rsaKey("rsa-1");

    /** Counts signature verifications; otherwise the real factory. */
    private static final class CountingVerifiers implements JWSVerifierFactory {
        final DefaultJWSVerifierFactory real = new DefaultJWSVerifierFactory();
        final AtomicInteger created = new AtomicInteger();

        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
            created.incrementAndGet();
            return real.createJWSVerifier(header, key);
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return real.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return real.getJCAContext();
        }
    }

    @TempDir
    Path dir;
    private FakeClock clock;
    private Path jwksFile;
    private CountingVerifiers verifiers;
    private JwtAuthenticator authenticator;

    @BeforeEach
    void setUp() throws Exception {
        clock = FakeClock.at(NOW);
        jwksFile = dir.resolve("jwks.json");
        Files.writeString(jwksFile, TestTokens.jwks(EC, RSA));
        verifiers = new CountingVerifiers();
        authenticator = new JwtAuthenticator(JwtSettings.of(TestTokens.ISSUER, TD), new JwksFile(jwksFile, clock),
                clock, verifiers, 100);
    }

    private Caller authenticate(String token) throws AuthenticationException {
        return authenticator.authenticate(AuthRequest.withToken(token, "127.0.0.1:5000")).orElseThrow();
    }

    @Test
    void authenticate_sameTokenTwice_verifiesTheSignatureOnce() throws Exception {
        String token = TestTokens.sign(EC, TestTokens.claims(NOW, "shop", "cart", "cart-1").build());

        Caller first = authenticate(token);
        Caller second = authenticate(token);

        assertThat(second).isEqualTo(first);
        assertThat(verifiers.created.get()).isEqualTo(1);
    }

    @Test
    void authenticate_differentTokens_eachVerified() throws Exception {
        authenticate(TestTokens.sign(EC, TestTokens.claims(NOW, "shop", "cart", "cart-1").build()));
        authenticate(TestTokens.sign(EC, TestTokens.claims(NOW, "shop", "web", "web-1").build()));

        assertThat(verifiers.created.get()).isEqualTo(2);
    }

    @Test
    void authenticate_cachedTokenAtItsExpiry_isRefusedLikeAFreshOne() throws Exception {
        Instant exp = NOW.plus(Duration.ofMinutes(2));
        String token = TestTokens.sign(EC, TestTokens.claims(NOW, "shop", "cart", "cart-1")
                .expirationTime(Date.from(exp)).build());
        authenticate(token);

        clock.setInstant(exp.plus(AuthnDefaults.CLOCK_SKEW).plusSeconds(1));
        AuthenticationException e = catchThrowableOfType(AuthenticationException.class, () -> authenticate(token));

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("expired");
        assertThat(verifiers.created.get()).as("the expired entry was not used").isEqualTo(2);
    }

    @Test
    void authenticate_afterTheMaxCacheAge_verifiesAgain() throws Exception {
        String token = TestTokens.sign(EC, TestTokens.claims(NOW, "shop", "cart", "cart-1").build());
        authenticate(token);

        clock.advance(VerifiedTokenCache.MAX_AGE.plusSeconds(1));
        authenticate(token);

        assertThat(verifiers.created.get()).isEqualTo(2);
    }

    @Test
    void authenticate_keyRemovedFromJwks_cachedTokenNoLongerAccepted() throws Exception {
        String token = TestTokens.sign(EC, TestTokens.claims(NOW, "shop", "cart", "cart-1").build());
        authenticate(token);

        Files.writeString(jwksFile, TestTokens.jwks(RSA));
        Files.setLastModifiedTime(jwksFile, FileTime.from(Instant.now().plusSeconds(5)));
        clock.advance(JwksFile.CHECK_INTERVAL);
        AuthenticationException e = catchThrowableOfType(AuthenticationException.class, () -> authenticate(token));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
    }

    @Test
    void authenticate_failedToken_isNotCached() throws Exception {
        String forged = TestTokens.sign(TestTokens.ecKey("ec-1"), TestTokens.claims(NOW, "shop", "cart", "c").build());

        for (int i = 0; i < 2; i++) {
            assertThat(catchThrowableOfType(AuthenticationException.class, () -> authenticate(forged))).isNotNull();
        }

        assertThat(verifiers.created.get()).isEqualTo(2);
    }

    @Test
    void keys_fileChangedWithinTheCheckInterval_seenOnlyAfterIt() throws Exception {
        JwksFile file = new JwksFile(jwksFile, clock);
        int before = file.keys().getKeys().size();

        Files.writeString(jwksFile, TestTokens.jwks(RSA));
        Files.setLastModifiedTime(jwksFile, FileTime.from(Instant.now().plusSeconds(5)));
        int within = file.keys().getKeys().size();
        clock.advance(JwksFile.CHECK_INTERVAL);
        int after = file.keys().getKeys().size();

        assertThat(before).isEqualTo(2);
        assertThat(within).isEqualTo(2);
        assertThat(after).isEqualTo(1);
    }
}
