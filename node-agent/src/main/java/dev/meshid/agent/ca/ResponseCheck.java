package dev.meshid.agent.ca;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import io.grpc.Status;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a {@code CreateCertificate} answer before the agent uses it: at least two elements (leaf ...
 * roots, PROTOCOLS.md §1), the leaf carries our SPIFFE ID and our new public key, and the chain verifies
 * against the roots of the last element at the time of receipt.
 */
public final class ResponseCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseCheck.class);

    private ResponseCheck() {
    }

    /**
     * @throws CaCallException (INTERNAL, so the caller retries) saying what is wrong with the answer
     */
    public static IssuedCertificate check(List<String> certChain, KeyPair keys, SpiffeId expected, Instant now)
            throws CaCallException {
        if (certChain.size() < 2) {
            throw bad("it has " + certChain.size() + " element(s); expected the leaf first and the root bundle last");
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (String element : certChain.subList(0, certChain.size() - 1)) {
                chain.addAll(Pem.readCertificates(element));
            }
            List<X509Certificate> roots = Pem.readCertificates(certChain.get(certChain.size() - 1));
            X509Certificate leaf = chain.get(0);
            ClockSkew.refuseIfExpired(leaf, now);
            ClockSkew.notYetValidMessage(leaf, now).ifPresent(LOG::warn);
            SpiffeId got = SvidInfo.requireSpiffeId(leaf);
            if (!got.equals(expected)) {
                throw bad("the leaf is for " + got + ", but this agent asked for " + expected);
            }
            if (!Arrays.equals(leaf.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
                throw bad("the leaf's public key is not the key of this agent's request");
            }
            // A chain that ends with its root (Istio bug #39001) is tolerated by the verifier and trimmed here.
            if (chain.size() > 1 && roots.contains(chain.get(chain.size() - 1))) {
                chain.remove(chain.size() - 1);
            }
            ChainVerifier.verify(chain, roots, ClockSkew.checkTime(leaf, now));
            return new IssuedCertificate(chain, keys.getPrivate(), roots, got, now);
        } catch (PkiException e) {
            throw bad(e.getMessage());
        }
    }

    private static CaCallException bad(String why) {
        return new CaCallException(Status.Code.INTERNAL, "the CA's answer is not usable: " + why);
    }
}
