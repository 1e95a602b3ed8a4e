package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshid.pki.id.TrustDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorChainTest {
    private static final TrustDomain TD = TrustDomain.parse("cluster.local");
    private static final AuthRequest REQUEST = AuthRequest.withToken("t", "10.0.0.1:1");

    /** A link with a fixed answer that records whether it was asked. */
    private static final class Fixed implements CredentialAuthenticator {
        private final String name;
        private final Optional<Caller> result;
        private final AuthenticationException.Kind failure;
        final List<AuthRequest> asked = new ArrayList<>();

        Fixed(String name, Optional<Caller> result, AuthenticationException.Kind failure) {
            this.name = name;
            this.result = result;
            this.failure = failure;
        }

        static Fixed accepts(String name, String sa) {
            return new Fixed(name, Optional.of(new Caller(TD.serviceAccount("default", sa), name, Optional.empty())), null);
        }

        static Fixed notApplicable(String name) {
            return new Fixed(name, Optional.empty(), null);
        }

        static Fixed fails(String name, AuthenticationException.Kind kind) {
            return new Fixed(name, Optional.empty(), kind);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<Caller> authenticate(AuthRequest request) throws AuthenticationException {
            asked.add(request);
            if (failure != null) {
                throw new AuthenticationException(name, failure, name + " says no");
            }
            return result;
        }
    }

    private static AuthenticatorChain chain(CredentialAuthenticator... links) {
        return new AuthenticatorChain(List.of(links), ClusterIdCheck.ownOnly("Kubernetes"),
                ImpersonationPolicy.disabled(TD));
    }

    private static AuthenticationException refused(AuthenticatorChain chain, AuthRequest request) {
        return catchThrowableOfType(AuthenticationException.class, () -> chain.authenticate(request));
    }

    @Test
    void authenticate_firstSuccessWins_andLaterLinksAreNotAsked() throws Exception {
        Fixed jwt = Fixed.accepts("jwt", "web");
        Fixed review = Fixed.accepts("tokenreview", "other");

        Caller caller = chain(Fixed.notApplicable("client-cert"), jwt, review).authenticate(REQUEST);

        assertThat(caller.identity()).hasToString("spiffe://cluster.local/ns/default/sa/web");
        assertThat(review.asked).isEmpty();
    }

    @Test
    void authenticate_failureThenSuccess_succeeds() throws Exception {
        Caller caller = chain(Fixed.fails("jwt", AuthenticationException.Kind.UNAUTHENTICATED),
                Fixed.accepts("tokenreview", "web")).authenticate(REQUEST);

        assertThat(caller.authenticator()).isEqualTo("tokenreview");
    }

    @Test
    void authenticate_allRefuse_isUnauthenticatedWithEveryReason() {
        AuthenticationException e = refused(chain(Fixed.notApplicable("client-cert"),
                Fixed.fails("jwt", AuthenticationException.Kind.UNAUTHENTICATED),
                Fixed.fails("tokenreview", AuthenticationException.Kind.UNAUTHENTICATED)), REQUEST);

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.authenticator()).isEqualTo("chain");
        assertThat(e.reason()).contains("10.0.0.1:1", "jwt: jwt says no", "tokenreview: tokenreview says no");
    }

    @Test
    void authenticate_anyUnavailableAndNoSuccess_isUnavailable() {
        AuthenticationException e = refused(chain(Fixed.fails("jwt", AuthenticationException.Kind.UNAUTHENTICATED),
                Fixed.fails("tokenreview", AuthenticationException.Kind.UNAVAILABLE)), REQUEST);

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(e.reason()).contains("jwt says no", "tokenreview says no");
    }

    @Test
    void authenticate_singleRefusal_keepsThatAuthenticatorsName() {
        AuthenticationException e = refused(chain(Fixed.notApplicable("client-cert"),
                Fixed.fails("tokenreview", AuthenticationException.Kind.UNAUTHENTICATED)), REQUEST);

        assertThat(e.authenticator()).isEqualTo("tokenreview");
    }

    @Test
    void authenticate_noCredentialAtAll_isUnauthenticated() {
        AuthenticationException e = refused(chain(Fixed.notApplicable("client-cert"), Fixed.notApplicable("jwt")),
                AuthRequest.withCertificates(List.of(), "10.0.0.2:2"));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.reason()).contains("carries no credential");
    }

    @Test
    void authenticate_linkThrowsUnexpectedly_isRefusedNotAccepted() {
        CredentialAuthenticator broken = new CredentialAuthenticator() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Optional<Caller> authenticate(AuthRequest request) {
                throw new IllegalStateException("bug");
            }
        };

        AuthenticationException e = refused(chain(broken), REQUEST);

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.reason()).contains("broken: internal error");
    }

    @Test
    void authenticate_unknownClusterId_isRefusedBeforeAnyAuthenticatorIsAsked() {
        Fixed jwt = Fixed.accepts("jwt", "web");

        AuthenticationException e = refused(chain(jwt), REQUEST.withClusterId("elsewhere"));

        assertThat(e.authenticator()).isEqualTo("cluster-id");
        assertThat(jwt.asked).isEmpty();
    }

    @Test
    void authenticate_impersonationWhenDisabled_isRefused() {
        AuthenticationException e = refused(chain(Fixed.accepts("jwt", "web")),
                REQUEST.withImpersonation(TD.serviceAccount("default", "admin")));

        assertThat(e.authenticator()).isEqualTo("impersonation");
        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
    }
}
