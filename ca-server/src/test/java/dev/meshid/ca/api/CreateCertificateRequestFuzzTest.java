package dev.meshid.ca.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.ca.CaException;
import dev.meshid.ca.issuance.IssuanceDecision;
import dev.meshid.ca.issuance.IssuanceOptions;
import dev.meshid.ca.issuance.IssuancePolicy;
import dev.meshid.ca.issuance.IssuanceRequest;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import io.vertx.grpc.common.GrpcStatus;

/**
 * Whatever bytes arrive as a {@code CreateCertificate} request message, decoding and the checks before
 * signing (metadata, TTL, CSR intake and issuance policy) either admit the request for the caller's own
 * identity or refuse it with a {@link CaException} that the status mapper turns into INVALID_ARGUMENT with a
 * message; nothing reaches the generic INTERNAL path. The network is left out: the caller is fixed, as if
 * authenticated. Under {@code mvn test} this replays the corpus in
 * {@code src/test/resources/dev/meshid/ca/api/CreateCertificateRequestFuzzTestInputs/<method>/}. To fuzz for
 * real: {@code JAZZER_FUZZ=1 ./mvnw -pl ca-server test -Dtest=CreateCertificateRequestFuzzTest
 * -Djazzer.instrument=dev.meshid.**,org.bouncycastle.**,com.google.protobuf.**}.
 */
class CreateCertificateRequestFuzzTest {
    private static final SpiffeId CALLER = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");
    private static final IssuancePolicy POLICY =
            new IssuancePolicy(IssuanceOptions.defaults(TrustDomain.parse("cluster.local")));

    @FuzzTest(maxDuration = "60s")
    void decodeAndAdmit_anyBytes_admitsOrRefusesWithInvalidArgument(byte[] data) {
        IstioCertificateRequest request;
        try {
            request = IstioCertificateRequest.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            return; // the transport answers an undecodable message itself
        }
        try {
            RequestMetadata meta = RequestMetadata.of(request.getMetadata());
            SpiffeId identity = meta.impersonatedIdentity().orElse(CALLER);
            IssuanceDecision decision = POLICY.decide(
                    new IssuanceRequest(identity, request.getCsr(), request.getValidityDuration()));
            assertThat(decision.spec().id()).isEqualTo(identity);
            assertThat(decision.publicKey()).isNotNull();
        } catch (CaException e) {
            StatusMapper.Failure failure = StatusMapper.map(e);
            assertThat(failure.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
            assertThat(failure.message()).isNotBlank();
        }
    }
}
