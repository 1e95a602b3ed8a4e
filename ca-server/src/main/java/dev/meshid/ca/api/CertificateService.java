package dev.meshid.ca.api;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.ca.CaException;
import dev.meshid.ca.audit.AuditEvent;
import dev.meshid.ca.audit.AuditLog;
import dev.meshid.ca.authn.AuthRequest;
import dev.meshid.ca.authn.AuthenticationException;
import dev.meshid.ca.authn.Authenticator;
import dev.meshid.ca.authn.Caller;
import dev.meshid.ca.issuance.IssuanceDecision;
import dev.meshid.ca.issuance.IssuancePolicy;
import dev.meshid.ca.issuance.IssuanceRequest;
import dev.meshid.ca.metrics.CaMetrics;
import dev.meshid.ca.signing.SignedChain;
import dev.meshid.ca.signing.Signer;
import dev.meshid.pki.id.SpiffeId;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code CreateCertificate}, transport aside: metadata -> authenticate -> issuance policy -> signer -> response,
 * with one audit line and the metrics of every attempt. Blocking (authentication may call the API server);
 * the transport runs it off the event loop. Failures are thrown for the transport's {@link StatusMapper}.
 */
public final class CertificateService {
    private final Authenticator authenticator;
    private final IssuancePolicy policy;
    private final Signer signer;
    private final CaMetrics metrics;
    private final AuditLog audit;
    private final Clock clock;

    public CertificateService(Authenticator authenticator, IssuancePolicy policy, Signer signer, CaMetrics metrics,
                              AuditLog audit, Clock clock) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Serves one request; see the class comment. */
    public IstioCertificateResponse create(IstioCertificateRequest request, CallContext call)
            throws AuthenticationException, CaException {
        long started = System.nanoTime();
        metrics.csrReceived();
        Caller caller = null;
        SpiffeId wanted = null;
        String keyType = null;
        try {
            RequestMetadata meta = RequestMetadata.of(request.getMetadata());
            wanted = meta.impersonatedIdentity().orElse(null);
            AuthRequest auth = new AuthRequest(call.authorization().flatMap(AuthRequest::bearerFrom),
                    call.peerCertificates(), call.clusterId(), call.peer(), meta.impersonatedIdentity());
            caller = authenticator.authenticate(auth);
            wanted = caller.identity();
            IssuanceDecision decision = policy.decide(new IssuanceRequest(caller.identity(), request.getCsr(),
                    request.getValidityDuration()));
            keyType = decision.keyType();
            long signStart = System.nanoTime();
            SignedChain chain = signer.sign(decision.spec(), decision.publicKey());
            metrics.signed(Duration.ofNanos(System.nanoTime() - signStart));
            X509Certificate leaf = chain.leaf();
            metrics.issued(since(started));
            audit.record(new AuditEvent(clock.instant(), call.peer(), callerName(caller), caller.authenticator(),
                    caller.identity().toString(), leaf.getSerialNumber().toString(16), leaf.getNotAfter().toInstant(),
                    keyType, "OK", null));
            return IstioCertificateResponse.newBuilder().addAllCertChain(chain.certChain()).build();
        } catch (AuthenticationException e) {
            metrics.authenticationFailed(since(started));
            audit.record(new AuditEvent(clock.instant(), call.peer(), null, e.authenticator(),
                    wanted == null ? null : wanted.toString(), null, null, null,
                    StatusMapper.map(e).status().name(), e.reason()));
            throw e;
        } catch (CaException e) {
            if (e.kind() == CaException.Kind.INVALID_CSR) {
                metrics.csrRefused();
            }
            metrics.signError(e.kind().istioLabel(), since(started));
            audit.record(new AuditEvent(clock.instant(), call.peer(), caller == null ? null : callerName(caller),
                    caller == null ? null : caller.authenticator(), wanted == null ? null : wanted.toString(), null,
                    null, keyType, StatusMapper.map(e).status().name(), e.getMessage()));
            throw e;
        } catch (RuntimeException e) {
            metrics.signError("Internal", since(started));
            audit.record(new AuditEvent(clock.instant(), call.peer(), caller == null ? null : callerName(caller),
                    caller == null ? null : caller.authenticator(), wanted == null ? null : wanted.toString(), null,
                    null, keyType, StatusMapper.map(e).status().name(), e.toString()));
            throw e;
        }
    }

    private static String callerName(Caller caller) {
        return caller.impersonator().orElse(caller.identity()).toString();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
