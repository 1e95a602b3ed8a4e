package dev.meshid.ca.vault;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.CaSigner;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.chain.ChainVerifier;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the intermediate Vault signed before meshid signs a single workload with it, in this order: it
 * certifies meshid's own key; it is a CA with keyCertSign; an extendedKeyUsage, if present, allows serverAuth
 * and clientAuth (Go and Envoy enforce a CA's EKU on the leaves below it); it chains to a self-signed root of
 * Vault's CA chain; it has at least the maximum workload TTL left. A missing URI SAN is accepted: SPIFFE does
 * not require one on a CA, and rejecting it broke SPIRE upgrades (spiffe/spire#3968).
 */
final class IntermediateCheck {
    private static final String ANY_EKU = "2.5.29.37.0";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private IntermediateCheck() {
    }

    /**
     * Throws a {@link VaultFailure} of kind MALFORMED naming the rule and the fix, whose topic is the rule (so a
     * retry that gets another certificate with the same fault is not reported again).
     */
    static void check(X509Certificate cert, PublicKey ours, List<X509Certificate> issuers, List<X509Certificate> roots,
            Instant now, Duration maxWorkloadTtl, String from) throws VaultFailure {
        String it = "the intermediate " + Certs.describe(cert) + " that " + from + " returned";
        if (!cert.getPublicKey().equals(ours)) {
            throw refuse("wrong-key", it + " certifies another public key than the one in meshid's CSR");
        }
        String caProblem = CaSigner.caProblem(cert);
        if (caProblem != null) {
            throw refuse("not-a-signing-ca", it + " " + caProblem);
        }
        List<String> eku = eku(cert);
        if (eku != null && !eku.contains(ANY_EKU) && !(eku.contains(SERVER_AUTH) && eku.contains(CLIENT_AUTH))) {
            throw refuse("eku", it + " restricts extendedKeyUsage to " + eku + "; workload certificates below it need"
                    + " serverAuth and clientAuth, so the CA must allow both (or carry no extendedKeyUsage)");
        }
        if (roots.isEmpty()) {
            X509Certificate top = issuers.isEmpty() ? cert : issuers.get(issuers.size() - 1);
            throw refuse("no-root", from + "'s CA chain ends at " + Certs.describe(top) + ", which is not a self-signed"
                    + " root, so meshid cannot build a trust bundle; import the root into the PKI mount"
                    + " (vault write <mount>/issuers/import/cert) so that ca_chain includes it");
        }
        List<X509Certificate> path = new ArrayList<>();
        path.add(cert);
        path.addAll(issuers);
        try {
            ChainVerifier.verify(path, roots, now);
        } catch (PkiException e) {
            throw refuse("chain", it + " does not chain to a root of Vault's CA chain: " + e.getMessage());
        }
        Duration left = Duration.between(now, cert.getNotAfter().toInstant());
        if (left.compareTo(maxWorkloadTtl) < 0) {
            throw refuse("lifetime", it + " has only " + left + " left, less than the maximum workload TTL "
                    + maxWorkloadTtl + "; raise the PKI mount's max TTL (vault secrets tune -max-lease-ttl=...) and"
                    + " meshid's requested intermediate TTL, or lower the CA's --max-ttl");
        }
    }

    private static List<String> eku(X509Certificate cert) throws VaultFailure {
        try {
            return cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw refuse("eku", "the intermediate's extendedKeyUsage cannot be parsed: " + e.getMessage());
        }
    }

    private static VaultFailure refuse(String rule, String message) {
        return new VaultFailure(VaultFailure.Kind.MALFORMED, message, "intermediate-check:" + rule);
    }
}
