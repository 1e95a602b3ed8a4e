package dev.meshid.agent.ca;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The roots the agent trusts for TLS to the CA: those of the CA root file united with those of the CA's
 * trust bundle, so that the CA may move its serving certificate to a new root during a rotation. Both parts
 * are swapped in one step; a handshake reads the current set once. Host names are checked by the JDK's
 * trust manager it delegates to (the channel asks for endpoint identification).
 */
final class ReloadingTrust extends X509ExtendedTrustManager {
    private record Snapshot(List<X509Certificate> file, List<X509Certificate> bundle, X509ExtendedTrustManager tm) {
    }

    private volatile Snapshot current = new Snapshot(List.of(), List.of(), null);

    /** Replaces the roots read from the CA root file. */
    synchronized void fileRoots(List<X509Certificate> roots) throws GeneralSecurityException {
        current = build(roots, current.bundle());
    }

    /** Replaces the roots from the CA's bundle stream. */
    synchronized void bundleRoots(List<X509Certificate> roots) throws GeneralSecurityException {
        current = build(current.file(), roots);
    }

    /** The union in use now. */
    List<X509Certificate> roots() {
        Snapshot s = current;
        Set<X509Certificate> all = new LinkedHashSet<>(s.file());
        all.addAll(s.bundle());
        return List.copyOf(all);
    }

    private static Snapshot build(List<X509Certificate> file, List<X509Certificate> bundle)
            throws GeneralSecurityException {
        Set<X509Certificate> all = new LinkedHashSet<>(file);
        all.addAll(bundle);
        if (all.isEmpty()) {
            return new Snapshot(List.copyOf(file), List.copyOf(bundle), null);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        List<X509Certificate> list = new ArrayList<>(all);
        for (int i = 0; i < list.size(); i++) {
            store.setCertificateEntry("root-" + i, list.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new Snapshot(List.copyOf(file), List.copyOf(bundle), x);
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }

    private X509ExtendedTrustManager tm() throws CertificateException {
        X509ExtendedTrustManager tm = current.tm();
        if (tm == null) {
            throw new CertificateException("no root to verify the CA with; set --ca-root to the CA's root file");
        }
        return tm;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        tm().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        tm().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        tm().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the agent's CA channel is a client; it verifies no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the agent's CA channel is a client; it verifies no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent's CA channel is a client; it verifies no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return roots().toArray(X509Certificate[]::new);
    }
}
