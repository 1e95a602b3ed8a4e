package dev.meshid.ca.issuance;

import dev.meshid.pki.id.SpiffeId;
import java.util.Objects;

/**
 * What an authenticated caller asks for.
 *
 * @param identity the SPIFFE ID the caller proved (after impersonation, if any)
 * @param csrPem the PEM PKCS#10 request, untrusted
 * @param validitySeconds the requested lifetime in seconds; zero or less means the default
 */
public record IssuanceRequest(SpiffeId identity, String csrPem, long validitySeconds) {

    public IssuanceRequest {
        Objects.requireNonNull(identity, "identity");
        csrPem = csrPem == null ? "" : csrPem;
    }

    @Override
    public String toString() {
        return "IssuanceRequest[identity=" + identity + ", csr=" + csrPem.length() + " chars, validity="
                + validitySeconds + "s]";
    }
}
