package dev.meshid.agent.workloadapi;

import com.google.protobuf.ByteString;
import dev.meshid.agent.ca.IssuedCertificate;
import io.spiffe.workloadapi.grpc.Workload;
import java.io.ByteArrayOutputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/** Builds Workload API messages from a certificate: DER, certificates concatenated, the key as PKCS#8 DER. */
final class X509Messages {
    private X509Messages() {
    }

    static Workload.X509SVIDResponse svidResponse(IssuedCertificate c) {
        return Workload.X509SVIDResponse.newBuilder()
                .addSvids(Workload.X509SVID.newBuilder()
                        .setSpiffeId(c.spiffeId().toString())
                        .setX509Svid(der(c.chain()))
                        .setX509SvidKey(ByteString.copyFrom(c.key().getEncoded()))
                        .setBundle(der(c.roots())))
                .build();
    }

    static Workload.X509BundlesResponse bundlesResponse(IssuedCertificate c) {
        return Workload.X509BundlesResponse.newBuilder()
                .putBundles(c.spiffeId().trustDomain().id().toString(), der(c.roots()))
                .build();
    }

    private static ByteString der(List<X509Certificate> certs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (X509Certificate cert : certs) {
            try {
                out.writeBytes(cert.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode " + cert.getSubjectX500Principal(), e);
            }
        }
        return ByteString.copyFrom(out.toByteArray());
    }
}
