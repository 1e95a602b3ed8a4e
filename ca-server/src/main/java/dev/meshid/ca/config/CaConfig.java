package dev.meshid.ca.config;

import dev.meshid.pki.id.TrustDomain;
import dev.meshid.settings.HostPort;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective configuration of {@code meshid ca}, every value parsed and checked; made by
 * {@link ConfigLoader} from defaults, the config file, the environment and flags (in rising precedence).
 * Defaults live in one place, {@link Setting}.
 *
 * @param grpcAddr where the CA API listens (TLS unless {@code insecurePlaintext})
 * @param httpAddr where health, metrics and {@code /bundle} listen
 * @param trustDomain the trust domain of every issued SPIFFE ID
 * @param cacertsDir Istio plug-in CA files, watched; conflicts with the other key sources
 * @param selfSignedDir where a self-signed root is kept (the default key source, under
 *     {@code ./var/lib/meshid/ca}, when no key source is set)
 * @param kubeconfig a kubeconfig file for the Kubernetes client (else in-cluster config, when in a cluster)
 * @param k8sCacertsSecret {@code NAMESPACE/NAME} of a secret with the plug-in CA files
 * @param publishRootConfigMap keep {@code istio-ca-root-cert} ConfigMaps up to date; empty: on in a cluster
 * @param jwksFile a JWKS file for local JWT verification
 * @param jwksUrl a JWKS URL for local JWT verification
 * @param jwtIssuer the tokens' {@code iss}; with neither file nor URL, its OIDC discovery gives the keys
 * @param tokenAudiences the audiences a token must carry one of
 * @param tokenReview ask the API server to review tokens; empty: on when a Kubernetes client is configured
 * @param servingDns DNS SANs of the CA's own serving certificate
 * @param defaultTtl workload certificate lifetime when the request names none
 * @param maxTtl longest workload certificate lifetime a request may ask for
 * @param insecurePlaintext serve the CA API without TLS (local debugging only)
 * @param namespace the CA's namespace (the lease of the root publisher, the self-signed secret)
 * @param clusterId this cluster's id, as agents send it in {@code clusterid}
 * @param allowDnsSans copy DNS SANs of a CSR into the certificate
 * @param maxCsrBytes largest CSR accepted, in bytes of PEM
 * @param maxInFlight requests admitted at once (queued or running); beyond it RESOURCE_EXHAUSTED
 * @param signingThreads threads that authenticate and sign
 * @param trustedNodeAccounts service accounts ({@code NAMESPACE/NAME}) that may ask for another identity with
 *     {@code ImpersonatedIdentity} (node agents); empty: impersonation is refused
 * @param rootRotationFraction a self-signed root's successor joins the bundle once this fraction of its life is
 *     left, in (0, 1)
 * @param rootRotationGrace how long signing waits for every connected agent to ack the successor
 * @param vault the Vault key source ({@code --vault-kv-path} or {@code --vault-pki-mount}); conflicts with the
 *     other key sources
 * @param tlsHandshakeTimeout longest a client may take to finish its TLS handshake on the CA API port
 * @param idleTimeout connections on the CA API and HTTP ports with no bytes read or written for this long are
 *     closed (a client that connects and never sends its HTTP/2 preface or request); zero: never
 */
public record CaConfig(HostPort grpcAddr, HostPort httpAddr, TrustDomain trustDomain, Optional<Path> cacertsDir,
                       Optional<Path> selfSignedDir, Optional<Path> kubeconfig, Optional<SecretRef> k8sCacertsSecret,
                       Optional<Boolean> publishRootConfigMap, Optional<Path> jwksFile, Optional<URI> jwksUrl,
                       Optional<String> jwtIssuer, List<String> tokenAudiences, Optional<Boolean> tokenReview,
                       List<String> servingDns, Duration defaultTtl, Duration maxTtl, boolean insecurePlaintext,
                       String namespace, String clusterId, boolean allowDnsSans, int maxCsrBytes, int maxInFlight,
                       int signingThreads, List<SecretRef> trustedNodeAccounts, double rootRotationFraction,
                       Duration rootRotationGrace, Optional<VaultConfig> vault, Duration tlsHandshakeTimeout,
                       Duration idleTimeout) {

    /** Where the self-signed root is kept when no key source is configured. */
    public static final Path DEFAULT_SELF_SIGNED_DIR = Path.of("var", "lib", "meshid", "ca");

    /** A Kubernetes object reference {@code NAMESPACE/NAME} (a secret, a service account). */
    public record SecretRef(String namespace, String name) {
        public SecretRef {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    public CaConfig {
        Objects.requireNonNull(grpcAddr, "grpcAddr");
        Objects.requireNonNull(httpAddr, "httpAddr");
        Objects.requireNonNull(trustDomain, "trustDomain");
        tokenAudiences = List.copyOf(tokenAudiences);
        servingDns = List.copyOf(servingDns);
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        trustedNodeAccounts = List.copyOf(trustedNodeAccounts);
        Objects.requireNonNull(rootRotationGrace, "rootRotationGrace");
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(tlsHandshakeTimeout, "tlsHandshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    /** Whether a key source was named; without one the CA uses a self-signed root under the default directory. */
    public boolean keySourceConfigured() {
        return cacertsDir.isPresent() || selfSignedDir.isPresent() || k8sCacertsSecret.isPresent() || vault.isPresent();
    }

    /** The defaults alone (no file, environment or flags). */
    public static CaConfig defaults() {
        try {
            return ConfigLoader.load(java.util.Map.of(), java.util.Map.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("the built-in defaults do not validate: " + e.getMessage(), e);
        }
    }
}
