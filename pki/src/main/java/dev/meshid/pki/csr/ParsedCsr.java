package dev.meshid.pki.csr;

import java.net.URI;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A CSR that passed intake: well-formed, signed by the key it carries (proof of possession), and with its
 * requested names decoded. Nothing here says the request is <em>allowed</em>: which names and keys may be
 * certified is the CA's issuance policy.
 *
 * @param request the decoded PKCS#10 request
 * @param publicKey the requested key, decoded with the process crypto provider
 * @param keyFamily {@code EC} or {@code RSA}
 * @param keyBits RSA modulus size or EC field size
 * @param uriSans requested URI SANs, in request order
 * @param dnsSans requested DNS SANs
 * @param ipSans requested IP SANs, as textual addresses
 * @param emailSans requested rfc822Name SANs
 * @param otherSans SANs of any other type, described as {@code type:value}
 * @param subject the subject DN in RFC 4514 form, empty if the subject is empty
 * @param sanCritical whether the requested SAN extension is marked critical ({@code false} if absent)
 * @param signatureAlgorithm the CSR's signature algorithm, such as {@code SHA256WITHECDSA}
 */
public record ParsedCsr(
        PKCS10CertificationRequest request,
        PublicKey publicKey,
        String keyFamily,
        int keyBits,
        List<URI> uriSans,
        List<String> dnsSans,
        List<String> ipSans,
        List<String> emailSans,
        List<String> otherSans,
        String subject,
        boolean sanCritical,
        String signatureAlgorithm) {

    public ParsedCsr {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(keyFamily, "keyFamily");
        uriSans = List.copyOf(uriSans);
        dnsSans = List.copyOf(dnsSans);
        ipSans = List.copyOf(ipSans);
        emailSans = List.copyOf(emailSans);
        otherSans = List.copyOf(otherSans);
        subject = subject == null ? "" : subject;
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    }

    /** The number of requested SANs of all types. */
    public int sanCount() {
        return uriSans.size() + dnsSans.size() + ipSans.size() + emailSans.size() + otherSans.size();
    }

    /** The DER encoding of the request, as received. */
    public byte[] der() {
        try {
            return request.getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot re-encode a parsed CSR", e);
        }
    }

    @Override
    public String toString() {
        return "ParsedCsr[" + keyFamily + " " + keyBits + ", " + signatureAlgorithm + ", subject=\"" + subject
                + "\", uris=" + uriSans + ", dns=" + dnsSans + ", ips=" + ipSans + ", emails=" + emailSans
                + ", other=" + otherSans + ", sanCritical=" + sanCritical + "]";
    }
}
