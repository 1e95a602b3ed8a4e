package dev.meshid.agent.cache;

import dev.meshid.agent.ca.CaCallException;
import dev.meshid.agent.ca.IssuedCertificate;

/** Where the rotator gets each new certificate ({@link dev.meshid.agent.ca.CertificateRequester} in the agent). */
@FunctionalInterface
public interface CertificateSource {

    /** A new, checked certificate with a new key. */
    IssuedCertificate fetch() throws CaCallException;
}
