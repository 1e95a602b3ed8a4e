package dev.meshid.ca.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrBuilder;
import dev.meshid.pki.pem.Pem;
import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks Vault's PKI engine for an intermediate: generates the key here, sends only the CSR to
 * {@code <mount>/root/sign-intermediate} (the mount's default issuer) or
 * {@code <mount>/issuer/<ref>/sign-intermediate}, and reads {@code data.certificate}, {@code data.issuing_ca}
 * and {@code data.ca_chain} from the answer, plus the roots of {@code <mount>/ca_chain}
 * (https://developer.hashicorp.com/vault/api-docs/secret/pki#sign-intermediate,
 * https://developer.hashicorp.com/vault/api-docs/secret/pki#read-default-issuer-certificate-chain).
 * The result passes {@link IntermediateCheck} or is refused.
 */
final class PkiUpstream {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VaultClient client;
    private final VaultOptions options;
    private final Clock clock;

    PkiUpstream(VaultClient client, VaultOptions options, Clock clock) {
        this.client = client;
        this.options = options;
        this.clock = clock;
    }

    String mount() {
        return VaultPaths.clean(options.pkiMount());
    }

    String signPath() {
        return options.pkiIssuer() == null ? mount() + "/root/sign-intermediate"
                : mount() + "/issuer/" + options.pkiIssuer() + "/sign-intermediate";
    }

    /** A new key, signed by Vault, checked. */
    Generation issue() throws VaultFailure {
        KeyPair keys = Keys.generate(options.keyAlgorithm());
        String cn = "meshid intermediate CA " + options.trustDomain().name();
        String csr;
        try {
            csr = Pem.write(CsrBuilder.forKeyPair(keys, options.trustDomain().id())
                    .subject("O=" + options.trustDomain().name() + ", CN=" + cn).build());
        } catch (PkiException e) {
            throw new IllegalStateException("cannot build the intermediate's CSR: " + e.getMessage(), e);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("csr", csr);
        request.put("common_name", cn);
        request.put("format", "pem");
        request.put("ttl", options.intermediateTtl().toSeconds() + "s");
        request.put("use_csr_values", Boolean.TRUE);
        String from = "Vault (" + signPath() + ")";
        String body = client.write(signPath(), request, "asking Vault to sign meshid's intermediate CA");
        JsonNode data = data(body, signPath());
        X509Certificate cert = firstCert(data.path("certificate"), "data.certificate");
        List<X509Certificate> chain = new ArrayList<>();
        if (data.path("ca_chain").isArray()) {
            for (JsonNode n : data.path("ca_chain")) {
                chain.addAll(certs(n, "data.ca_chain"));
            }
        }
        if (chain.isEmpty() && data.hasNonNull("issuing_ca")) {
            chain.addAll(certs(data.path("issuing_ca"), "data.issuing_ca"));
        }
        chain.addAll(mountChain());
        List<X509Certificate> issuers = new ArrayList<>();
        List<X509Certificate> roots = new ArrayList<>();
        for (X509Certificate c : chain) {
            List<X509Certificate> into = Certs.isSelfSigned(c) ? roots : issuers;
            if (!c.equals(cert) && into.stream().noneMatch(c::equals)) {
                into.add(c);
            }
        }
        IntermediateCheck.check(cert, keys.getPublic(), issuers, roots, clock.instant(), options.maxWorkloadTtl(), from);
        return new Generation(keys, cert, issuers, roots);
    }

    /** The certificates of {@code <mount>/ca_chain} (PEM text; unauthenticated in Vault). */
    List<X509Certificate> mountChain() throws VaultFailure {
        String path = mount() + "/ca_chain";
        String pem = client.read(path, path, "reading the PKI mount's CA chain");
        if (pem.isBlank()) {
            return List.of();
        }
        try {
            return Pem.readCertificates(pem);
        } catch (PkiException e) {
            throw new VaultFailure(VaultFailure.Kind.MALFORMED, "malformed CA chain at " + path + ": " + e.getMessage());
        }
    }

    /** The self-signed roots of {@code <mount>/ca_chain}. */
    List<X509Certificate> mountRoots() throws VaultFailure {
        return mountChain().stream().filter(Certs::isSelfSigned).toList();
    }

    private static JsonNode data(String body, String path) throws VaultFailure {
        try {
            JsonNode data = JSON.readTree(body).path("data");
            if (!data.isObject()) {
                throw malformed(path, "the answer has no \"data\" object");
            }
            return data;
        } catch (IOException e) {
            throw malformed(path, "the answer is not JSON");
        }
    }

    private X509Certificate firstCert(JsonNode n, String field) throws VaultFailure {
        List<X509Certificate> certs = certs(n, field);
        return certs.get(0);
    }

    private List<X509Certificate> certs(JsonNode n, String field) throws VaultFailure {
        if (!n.isTextual() || n.asText().isBlank()) {
            throw malformed(signPath(), field + " is missing or not PEM text");
        }
        try {
            return Pem.readCertificates(n.asText());
        } catch (PkiException e) {
            throw malformed(signPath(), field + ": " + e.getMessage());
        }
    }

    private static VaultFailure malformed(String path, String problem) {
        return new VaultFailure(VaultFailure.Kind.MALFORMED, "malformed answer from " + path + ": " + problem,
                "malformed:" + path + ":" + problem);
    }
}
