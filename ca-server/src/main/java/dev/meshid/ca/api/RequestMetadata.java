package dev.meshid.ca.api;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshid.ca.CaException;
import dev.meshid.pki.id.InvalidSpiffeIdException;
import dev.meshid.pki.id.SpiffeId;
import java.util.Optional;

/**
 * The {@code metadata} of a request. {@code CertSigner} selects one of several signers in Istio; meshid has
 * only its default signer, so an empty or absent value is accepted and any other name is refused with
 * INVALID_ARGUMENT — issuing from a signer other than the one asked for would hand out certificates the caller
 * does not expect. {@code ImpersonatedIdentity}, if present, must be a SPIFFE ID; whether the caller may use it
 * is the authenticators' decision.
 *
 * @param certSigner the requested signer name, empty for the default
 * @param impersonatedIdentity the identity asked for on behalf of another workload
 */
public record RequestMetadata(String certSigner, Optional<SpiffeId> impersonatedIdentity) {
    public static final String CERT_SIGNER = "CertSigner";
    public static final String IMPERSONATED_IDENTITY = "ImpersonatedIdentity";

    /** Reads and checks the metadata of a request. */
    public static RequestMetadata of(Struct metadata) throws CaException {
        String signer = string(metadata, CERT_SIGNER).orElse("");
        if (!signer.isEmpty()) {
            throw new CaException(CaException.Kind.INVALID_METADATA, "CertSigner \"" + clip(signer) + "\" is not a "
                    + "signer of this CA; it has only the default signer, so leave CertSigner empty");
        }
        Optional<SpiffeId> impersonated = Optional.empty();
        Optional<String> asked = string(metadata, IMPERSONATED_IDENTITY).filter(s -> !s.isEmpty());
        if (asked.isPresent()) {
            try {
                impersonated = Optional.of(SpiffeId.parse(asked.get()));
            } catch (InvalidSpiffeIdException e) {
                throw new CaException(CaException.Kind.INVALID_METADATA, "ImpersonatedIdentity \"" + clip(asked.get())
                        + "\" is not a SPIFFE ID: " + e.getMessage());
            }
        }
        return new RequestMetadata(signer, impersonated);
    }

    private static Optional<String> string(Struct metadata, String key) throws CaException {
        Value v = metadata.getFieldsMap().get(key);
        if (v == null || v.getKindCase() == Value.KindCase.NULL_VALUE) {
            return Optional.empty();
        }
        if (v.getKindCase() != Value.KindCase.STRING_VALUE) {
            throw new CaException(CaException.Kind.INVALID_METADATA, "metadata " + key + " must be a string");
        }
        return Optional.of(v.getStringValue());
    }

    private static String clip(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
