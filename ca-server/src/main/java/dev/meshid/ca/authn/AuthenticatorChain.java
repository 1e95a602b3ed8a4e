package dev.meshid.ca.authn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA's {@link Authenticator}: checks the {@code clusterid} header, tries the enabled credential
 * authenticators in order (first success wins, "not applicable" skips), then applies
 * {@code ImpersonatedIdentity}. When none succeeds the failure is UNAVAILABLE if any of them could not reach
 * its dependency (a retry may succeed), else UNAUTHENTICATED; either way with every reason, for the log.
 */
public final class AuthenticatorChain implements Authenticator {
    public static final String NAME = "chain";
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorChain.class);

    private final List<CredentialAuthenticator> links;
    private final ClusterIdCheck clusterIds;
    private final ImpersonationPolicy impersonation;

    /**
     * @param links the enabled authenticators, in the order to try them (usually client cert, JWT, TokenReview)
     */
    public AuthenticatorChain(List<CredentialAuthenticator> links, ClusterIdCheck clusterIds,
                              ImpersonationPolicy impersonation) {
        this.links = List.copyOf(links);
        if (this.links.isEmpty()) {
            throw new IllegalArgumentException("no authenticator is enabled; enable at least one of client-cert, "
                    + "jwt, tokenreview");
        }
        this.clusterIds = Objects.requireNonNull(clusterIds, "clusterIds");
        this.impersonation = Objects.requireNonNull(impersonation, "impersonation");
    }

    @Override
    public Caller authenticate(AuthRequest request) throws AuthenticationException {
        // First, because it is cheap and an unknown cluster makes any API round trip pointless.
        clusterIds.check(request);
        Caller caller = firstSuccess(request);
        return impersonation.apply(caller, request.impersonatedIdentity());
    }

    private Caller firstSuccess(AuthRequest request) throws AuthenticationException {
        List<String> reasons = new ArrayList<>();
        List<String> refusedBy = new ArrayList<>();
        AuthenticationException firstUnavailable = null;
        for (CredentialAuthenticator link : links) {
            try {
                Optional<Caller> caller = link.authenticate(request);
                if (caller.isPresent()) {
                    return caller.get();
                }
            } catch (AuthenticationException e) {
                reasons.add(e.getMessage());
                refusedBy.add(e.authenticator());
                if (e.kind() == AuthenticationException.Kind.UNAVAILABLE && firstUnavailable == null) {
                    firstUnavailable = e;
                }
            } catch (RuntimeException e) {
                // A bug in one authenticator must not accept, nor hide the other authenticators' verdicts.
                LOG.error("authenticator {} failed unexpectedly for {}", link.name(), request, e);
                reasons.add(link.name() + ": internal error " + e);
                refusedBy.add(link.name());
            }
        }
        if (reasons.isEmpty()) {
            throw AuthenticationException.unauthenticated(NAME, "request from " + request.peerAddress()
                    + " carries no credential: neither a client certificate nor an authorization: Bearer token");
        }
        // One refusal keeps its authenticator's name (for metrics); several are reported as the chain's.
        String by = refusedBy.size() == 1 ? refusedBy.get(0) : NAME;
        String all = "request from " + request.peerAddress() + " not authenticated: " + String.join("; ", reasons);
        if (firstUnavailable != null) {
            throw new AuthenticationException(by, AuthenticationException.Kind.UNAVAILABLE, all, firstUnavailable);
        }
        throw AuthenticationException.unauthenticated(by, all);
    }
}
