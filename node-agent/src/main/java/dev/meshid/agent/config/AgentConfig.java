package dev.meshid.agent.config;

import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.settings.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's effective configuration, checked once by {@link ConfigLoader}. Nothing here is secret: the
 * token is a path, read at each CA call.
 *
 * @param caAddr where the CA listens
 * @param caServerName the DNS name the CA's TLS certificate must carry
 * @param spiffeId the workload identity asked for: {@code spiffe://<td>/ns/<ns>/sa/<sa>}
 * @param clusterId the {@code clusterid} header value, if any
 * @param secretTtl the lifetime asked of the CA
 * @param rotation when to renew
 * @param keyAlgorithm the type of each new key
 * @param pkcs8Key whether keys are written as PKCS#8 (else SEC1 for EC, PKCS#1 for RSA)
 * @param outputCerts the OUTPUT_CERTS directory, if set
 * @param fileMountedCerts serve {@code default}/{@code ROOTCA} from {@code fileCertsDir} instead of the CA
 * @param fileCertsDir where mounted certificates are
 * @param sdsSocket the SDS Unix socket
 * @param workloadApiSocket the Workload API Unix socket, if enabled
 * @param tokenPath the service-account token file
 * @param caRoot the PEM file of roots that verify the CA
 * @param adminAddr the admin HTTP address, if enabled
 * @param caDeadline the deadline of one CA call
 * @param bundleStream follow the CA's trust bundle stream (meshid CAs; an Istio CA answers UNIMPLEMENTED)
 */
public record AgentConfig(HostPort caAddr, String caServerName, SpiffeId spiffeId, Optional<String> clusterId,
        Duration secretTtl, RotationSettings rotation, KeyAlgorithm keyAlgorithm, boolean pkcs8Key,
        Optional<Path> outputCerts, boolean fileMountedCerts, Path fileCertsDir, Path sdsSocket,
        Optional<Path> workloadApiSocket, Path tokenPath, Path caRoot, Optional<HostPort> adminAddr,
        Duration caDeadline, boolean bundleStream) {

    public AgentConfig {
        Objects.requireNonNull(caAddr, "caAddr");
        Objects.requireNonNull(caServerName, "caServerName");
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(secretTtl, "secretTtl");
        Objects.requireNonNull(rotation, "rotation");
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        Objects.requireNonNull(outputCerts, "outputCerts");
        Objects.requireNonNull(fileCertsDir, "fileCertsDir");
        Objects.requireNonNull(sdsSocket, "sdsSocket");
        Objects.requireNonNull(workloadApiSocket, "workloadApiSocket");
        Objects.requireNonNull(tokenPath, "tokenPath");
        Objects.requireNonNull(caRoot, "caRoot");
        Objects.requireNonNull(adminAddr, "adminAddr");
        Objects.requireNonNull(caDeadline, "caDeadline");
        if (secretTtl.isNegative() || secretTtl.isZero()) {
            throw new IllegalArgumentException("secretTtl must be positive");
        }
    }

    public TrustDomain trustDomain() {
        return spiffeId.trustDomain();
    }

    /**
     * When to renew: when {@code graceRatio} (+/- up to {@code jitter}) of the lifetime remains.
     *
     * @param graceRatio in (0, 1)
     * @param jitter in [0, min(graceRatio, 1 - graceRatio))
     */
    public record RotationSettings(double graceRatio, double jitter) {
        public RotationSettings {
            if (!(graceRatio > 0 && graceRatio < 1)) {
                throw new IllegalArgumentException("the grace ratio must be between 0 and 1 (exclusive)");
            }
            if (!(jitter >= 0 && jitter < Math.min(graceRatio, 1 - graceRatio))) {
                throw new IllegalArgumentException("the jitter must be at least 0 and below min(ratio, 1 - ratio)");
            }
        }
    }
}
