package dev.meshid.agent.cache;

import dev.meshid.pki.cert.Certs;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which roots the agent trusts and serves, from its two sources: the roots in each {@code CreateCertificate}
 * answer, and the CA's bundle stream. A pure function.
 *
 * <p>While the stream is connected its bundle is authoritative: it changes as soon as the CA's roots do,
 * while an answer's roots are as old as the certificate. One exception keeps the agent's own chain
 * verifiable: if the CA already issued the current certificate under a root the stream has not announced
 * yet (the answer overtook the push), that root from the answer is added until the stream catches up.
 * Without a connected stream (an Istio CA, or the CA unreachable) the newest source wins: a new answer
 * replaces the roots, and a lost stream leaves the last bundle in place until then.
 */
public final class TrustedRoots {
    private TrustedRoots() {
    }

    /**
     * @param stream the stream's bundle when the stream is connected and authoritative
     * @param answerRoots the roots of the CA's answer that brought the current certificate
     * @param chain the current certificate, leaf first, without roots
     */
    public static List<X509Certificate> select(Optional<List<X509Certificate>> stream,
            List<X509Certificate> answerRoots, List<X509Certificate> chain) {
        if (stream.isEmpty()) {
            return List.copyOf(answerRoots);
        }
        List<X509Certificate> roots = new ArrayList<>(stream.get());
        if (!chain.isEmpty() && !issues(roots, chain.get(chain.size() - 1))) {
            X509Certificate top = chain.get(chain.size() - 1);
            answerRoots.stream().filter(r -> issues(List.of(r), top)).findFirst().ifPresent(roots::add);
        }
        return List.copyOf(roots);
    }

    private static boolean issues(List<X509Certificate> roots, X509Certificate top) {
        return roots.stream().anyMatch(r -> Certs.issuedBy(top, r)
                || Certs.fingerprint(r).equals(Certs.fingerprint(top)));
    }
}
