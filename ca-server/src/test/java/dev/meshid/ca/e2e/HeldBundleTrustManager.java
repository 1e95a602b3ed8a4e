package dev.meshid.ca.e2e;

import dev.meshid.pki.crypto.CryptoProvider;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.X509TrustManager;

/**
 * An agent's view of the CA's serving certificate: trusted if it chains to the bundle the agent holds now, at
 * the agent's (fake) clock, so a test can move time without the JDK's wall clock refusing the handshake.
 */
final class HeldBundleTrustManager implements X509TrustManager {
    private final Supplier<List<X509Certificate>> held;
    private final Clock clock;

    HeldBundleTrustManager(Supplier<List<X509Certificate>> held, Clock clock) {
        this.held = held;
        this.clock = clock;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            Set<TrustAnchor> anchors = held.get().stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toSet());
            PKIXParameters p = new PKIXParameters(anchors);
            p.setRevocationEnabled(false);
            p.setDate(Date.from(clock.instant()));
            p.setSigProvider(CryptoProvider.get().getName());
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(chain)), p);
        } catch (CertificateException e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateException("the CA's serving certificate does not chain to the held bundle: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("an agent does not accept clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return held.get().toArray(new X509Certificate[0]);
    }
}
