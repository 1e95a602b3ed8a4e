package dev.meshid.ca;

import dev.meshid.ca.authn.AuthenticatorChain;
import dev.meshid.ca.authn.AuthnDefaults;
import dev.meshid.ca.authn.BoundedCalls;
import dev.meshid.ca.authn.ClientCertAuthenticator;
import dev.meshid.ca.authn.ClusterIdCheck;
import dev.meshid.ca.authn.CredentialAuthenticator;
import dev.meshid.ca.authn.ImpersonationPolicy;
import dev.meshid.ca.authn.JwkSetSource;
import dev.meshid.ca.authn.JwksFile;
import dev.meshid.ca.authn.JwtAuthenticator;
import dev.meshid.ca.authn.JwtSettings;
import dev.meshid.ca.authn.KubernetesPodDirectory;
import dev.meshid.ca.authn.OidcJwks;
import dev.meshid.ca.authn.ServiceAccountUser;
import dev.meshid.ca.authn.TokenReviewAuthenticator;
import dev.meshid.ca.authn.TokenReviewSettings;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.ConfigException;
import dev.meshid.ca.config.Setting;
import dev.meshid.ca.signing.Signer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the authenticator chain the configuration asks for: client certificate, then JWT, then TokenReview; then
 * {@code ImpersonatedIdentity} for the trusted node accounts.
 */
final class Authenticators {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticators.class);

    private Authenticators() {
    }

    static AuthenticatorChain fromConfig(CaConfig config, Signer signer, Optional<KubernetesClient> kube,
                                         boolean kubernetesConfigured, Clock clock) throws ConfigException {
        List<CredentialAuthenticator> links = new ArrayList<>();
        links.add(new ClientCertAuthenticator(config.trustDomain(), () -> roots(signer), clock));
        if (config.jwtIssuer().isPresent()) {
            String issuer = config.jwtIssuer().get();
            JwtSettings settings = JwtSettings.of(issuer, config.trustDomain()).withAudiences(config.tokenAudiences());
            links.add(new JwtAuthenticator(settings, jwks(config, issuer, clock), clock));
        }
        BoundedCalls calls = BoundedCalls.create();
        boolean tokenReview = config.tokenReview().orElse(kubernetesConfigured);
        if (tokenReview) {
            KubernetesClient client = kube.orElseThrow(() -> new ConfigException("tokenReview (--tokenreview, "
                    + "MESHID_TOKENREVIEW) = true needs a Kubernetes client; set --kubeconfig or run the CA inside "
                    + "the cluster, or set --tokenreview=false"));
            links.add(new TokenReviewAuthenticator(client, TokenReviewSettings.of(config.trustDomain())
                    .withAudiences(config.tokenAudiences()), calls, clock));
        }
        if (links.size() == 1) {
            LOG.warn("only client-certificate authentication is enabled: workloads without a certificate cannot get "
                    + "one; set --jwt-issuer (with --jwks-file or --jwks-url) or a Kubernetes client for TokenReview");
        }
        LOG.info("authenticators, in order: {}", links.stream().map(CredentialAuthenticator::name).toList());
        return new AuthenticatorChain(links, ClusterIdCheck.ownOnly(config.clusterId()),
                impersonation(config, kube, calls));
    }

    /** Impersonation for the trusted node accounts, checked against the pods the API server knows. */
    private static ImpersonationPolicy impersonation(CaConfig config, Optional<KubernetesClient> kube,
                                                     BoundedCalls calls) throws ConfigException {
        if (config.trustedNodeAccounts().isEmpty()) {
            return ImpersonationPolicy.disabled(config.trustDomain());
        }
        KubernetesClient client = kube.orElseThrow(() -> new ConfigException(Setting.TRUSTED_NODE_ACCOUNTS.describe()
                + " = " + config.trustedNodeAccounts() + " needs a Kubernetes client to find the callers' nodes; set "
                + "--kubeconfig or run the CA inside the cluster, or leave it empty"));
        Set<ServiceAccountUser> accounts = new LinkedHashSet<>();
        for (CaConfig.SecretRef ref : config.trustedNodeAccounts()) {
            try {
                accounts.add(new ServiceAccountUser(ref.namespace(), ref.name()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(Setting.TRUSTED_NODE_ACCOUNTS.describe() + " = \"" + ref + "\": "
                        + e.getMessage() + "; give NAMESPACE/SERVICE-ACCOUNT, e.g. istio-system/ztunnel");
            }
        }
        LOG.info("trusted node accounts that may impersonate pods on their node: {}", accounts);
        return new ImpersonationPolicy(config.trustDomain(), accounts,
                new KubernetesPodDirectory(client, calls, AuthnDefaults.CALL_TIMEOUT));
    }

    private static JwkSetSource jwks(CaConfig config, String issuer, Clock clock) {
        if (config.jwksFile().isPresent()) {
            return new JwksFile(config.jwksFile().get());
        }
        if (config.jwksUrl().isPresent()) {
            return new JwksUrl(config.jwksUrl().get(), clock);
        }
        return OidcJwks.of(issuer, clock);
    }

    private static List<X509Certificate> roots(Signer signer) {
        return signer.active().map(a -> a.bundle().roots().roots()).orElse(List.of());
    }
}
