package dev.meshid.ca.vault;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.pem.Pem;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An SSLContext that trusts exactly the CA certificates of {@code VAULT_CACERT} (the Vault CLI's meaning). */
final class TlsTrust {
    private TlsTrust() {
    }

    static SSLContext context(String caPem) {
        try {
            List<X509Certificate> cas = Pem.readCertificates(caPem);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("vault-ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (PkiException | GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot use the Vault CA certificates (VAULT_CACERT): " + e.getMessage(), e);
        }
    }
}
