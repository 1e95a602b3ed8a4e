package dev.meshid.ca.bench;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One request before the load, to fail fast with a clear message and to make sure the CA answers what the load
 * counts as a success: more than one element, the leaf for the expected SPIFFE ID, the trusted root last.
 */
final class Probe {
    private Probe() {
    }

    /** Returns a one-line description of the issued leaf; throws with the reason otherwise. */
    static String check(ManagedChannel channel, Metadata headers, IstioCertificateRequest request, SpiffeId expected,
                        Optional<X509Certificate> root, Optional<Path> dump) throws PkiException, IOException {
        IstioCertificateResponse response;
        try {
            response = IstioCertificateServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(60, TimeUnit.SECONDS).createCertificate(request);
        } catch (StatusRuntimeException e) {
            throw new IOException("the CA refused the first request: " + e.getStatus().getCode() + " "
                    + e.getStatus().getDescription(), e);
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (String pem : response.getCertChainList()) {
            chain.addAll(Pem.readCertificates(pem));
        }
        if (response.getCertChainCount() < 2) {
            throw new PkiException("the CA answered a chain of " + response.getCertChainCount()
                    + " element(s); istio-agent needs the leaf and the root at least");
        }
        SpiffeId id = SvidInfo.requireSpiffeId(chain.get(0));
        if (!id.equals(expected)) {
            throw new PkiException("the leaf is for " + id + ", expected " + expected);
        }
        if (root.isPresent() && !chain.get(chain.size() - 1).equals(root.get())) {
            throw new PkiException("the last element of the chain is " + Certs.describe(chain.get(chain.size() - 1))
                    + ", not the trusted root " + Certs.describe(root.get()));
        }
        if (dump.isPresent()) {
            Files.writeString(dump.get(), Pem.write(chain));
        }
        X509Certificate leaf = chain.get(0);
        return "leaf " + id + " key " + leaf.getPublicKey().getAlgorithm() + " signed " + leaf.getSigAlgName()
                + ", chain of " + chain.size() + " certificate(s), valid until " + leaf.getNotAfter().toInstant();
    }
}
