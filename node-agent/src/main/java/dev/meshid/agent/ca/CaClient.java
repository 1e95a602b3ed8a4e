package dev.meshid.agent.ca;

import java.time.Duration;
import java.util.List;

/** One call of {@code IstioCertificateService/CreateCertificate}; the seam tests replace. */
public interface CaClient extends AutoCloseable {

    /**
     * Asks the CA to sign {@code csrPem} for {@code ttl}.
     *
     * @return the response's {@code cert_chain} elements as sent (leaf first, root bundle last)
     * @throws CaCallException with the gRPC code of the failure
     */
    List<String> createCertificate(String csrPem, Duration ttl) throws CaCallException;

    @Override
    void close();
}
