package dev.meshid.ca.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import dev.meshid.pki.bundle.TrustBundle;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A trust bundle as a SPIFFE bundle (SPIFFE Trust Domain and Bundle, §4): a JWK Set whose keys each carry
 * {@code "use": "x509-svid"}, the key's public parameters and {@code x5c} with exactly one certificate (the
 * root, base64 DER), and the top-level {@code spiffe_sequence} that grows with every change of the bundle.
 */
public final class SpiffeBundleJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PUBLIC_PARAMETERS = List.of("kty", "crv", "x", "y", "n", "e");

    private SpiffeBundleJson() {
    }

    public static String of(TrustBundle bundle, long sequence) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode keys = root.putArray("keys");
        for (X509Certificate cert : bundle.roots()) {
            keys.add(key(cert));
        }
        root.put("spiffe_sequence", sequence);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the SPIFFE bundle", e);
        }
    }

    private static ObjectNode key(X509Certificate cert) {
        ObjectNode key = JSON.createObjectNode();
        key.put("use", "x509-svid");
        Map<String, Object> jwk;
        try {
            jwk = JWK.parse(cert).toPublicJWK().toJSONObject();
        } catch (JOSEException e) {
            throw new IllegalStateException("the root's key cannot be written as a JWK: " + e.getMessage(), e);
        }
        for (String p : PUBLIC_PARAMETERS) {
            Object v = jwk.get(p);
            if (v != null) {
                key.put(p, v.toString());
            }
        }
        try {
            key.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a root certificate", e);
        }
        return key;
    }
}
