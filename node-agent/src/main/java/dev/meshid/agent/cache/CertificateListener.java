package dev.meshid.agent.cache;

import dev.meshid.agent.ca.IssuedCertificate;

/** Told about every new certificate the cache takes (output files, Workload API streams, metrics). */
@FunctionalInterface
public interface CertificateListener {

    /** {@code certificate} is now the agent's current certificate; {@code rootsChanged} if its roots differ. */
    void onCertificate(IssuedCertificate certificate, boolean rootsChanged);
}
