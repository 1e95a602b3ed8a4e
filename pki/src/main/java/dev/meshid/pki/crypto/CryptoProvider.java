package dev.meshid.pki.crypto;

import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * The crypto provider every signature, key generation and verification in meshid goes through, chosen
 * once per process: Amazon Corretto Crypto Provider (native AWS-LC) where it loads and passes its health
 * check, otherwise BouncyCastle. The JDK's own SunEC is never used implicitly: it is many times slower.
 *
 * <p>The choice can be forced with the system property {@code meshid.crypto.provider} or the environment
 * variable {@code MESHID_CRYPTO_PROVIDER}: {@code auto} (default), {@code accp} or {@code bc}. Forcing
 * {@code accp} where it cannot load is a start-up error, not a silent fallback.
 */
public final class CryptoProvider {
    public static final String SETTING_PROPERTY = "meshid.crypto.provider";
    public static final String SETTING_ENV = "MESHID_CRYPTO_PROVIDER";

    private static final Logger LOG = LoggerFactory.getLogger(CryptoProvider.class);
    private static volatile Choice chosen;

    /** The provider in use and why it was chosen. */
    public record Choice(Provider provider, String reason) {
        public String name() {
            return provider.getName();
        }
    }

    private CryptoProvider() {
    }

    /** The process-wide provider, chosen (and logged) on first use. */
    public static Provider get() {
        return choice().provider();
    }

    /** The process-wide choice with its reason. */
    public static Choice choice() {
        Choice c = chosen;
        if (c == null) {
            synchronized (CryptoProvider.class) {
                c = chosen;
                if (c == null) {
                    c = choose(setting());
                    chosen = c;
                    LOG.info("crypto provider: {} ({})", c.name(), c.reason());
                }
            }
        }
        return c;
    }

    /**
     * BouncyCastle, registered (on first call) by name so PKIX validation and the PEM converters can refer to it.
     * Code that needs BouncyCastle as a provider asks for it here; it is not registered just because meshid runs.
     */
    public static Provider bouncyCastle() {
        Provider p = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (p == null) {
            Security.addProvider(new BouncyCastleProvider());
            p = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        }
        return p;
    }

    /** ACCP if it loads and is healthy on this machine, with the reason when it is not. */
    public static Optional<Provider> accp(StringBuilder whyNot) {
        try {
            AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
            if (p.getLoadingError() != null) {
                whyNot.append("ACCP did not load: ").append(p.getLoadingError().getMessage());
                return Optional.empty();
            }
            p.assertHealthy();
            if (Security.getProvider(p.getName()) == null) {
                // Appended, not inserted first: meshid asks for it by object, other code keeps its defaults.
                Security.addProvider(p);
            }
            return Optional.of(p);
        } catch (Throwable t) {
            whyNot.append("ACCP is not usable: ").append(t);
            return Optional.empty();
        }
    }

    static Choice choose(String setting) {
        String s = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "bc", "bouncycastle" -> {
                return new Choice(bouncyCastle(), "forced by " + SETTING_PROPERTY + "=" + s);
            }
            case "accp" -> {
                StringBuilder why = new StringBuilder();
                Provider p = accp(why).orElseThrow(() -> new IllegalStateException(
                        SETTING_PROPERTY + "=accp, but " + why + "; unset it to fall back to BouncyCastle"));
                return new Choice(p, "forced by " + SETTING_PROPERTY + "=accp");
            }
            case "auto" -> {
                // BouncyCastle is registered only when it is the choice or asked for (bouncyCastle()): its
                // registration loads some 300 classes and thousands of algorithm entries a process on ACCP never uses.
                StringBuilder why = new StringBuilder();
                return accp(why).map(p -> new Choice(p, "native AWS-LC, health check passed"))
                        .orElseGet(() -> new Choice(bouncyCastle(), why + "; using BouncyCastle"));
            }
            default -> throw new IllegalArgumentException("invalid " + SETTING_PROPERTY + " / " + SETTING_ENV
                    + " value \"" + setting + "\"; valid: auto, accp, bc");
        }
    }

    private static String setting() {
        String p = System.getProperty(SETTING_PROPERTY);
        return p != null ? p : System.getenv(SETTING_ENV);
    }
}
