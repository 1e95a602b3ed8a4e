package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.sds.secret.SecretNames;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/envoy/bootstrap.yaml is read into Envoy's own v3 protobuf messages (JSON mapping, unknown fields
 * refused), so a misspelt field or a wrong {@code @type} fails here as it would fail Envoy at start.
 */
class EnvoyBootstrapTest {
    private static final Path FILE = Manifests.DEPLOY.resolve("envoy/bootstrap.yaml");
    private static final String SDS_CLUSTER = "sds-grpc";
    private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(DownstreamTlsContext.getDescriptor()).add(UpstreamTlsContext.getDescriptor())
            .add(TcpProxy.getDescriptor()).add(HttpProtocolOptions.getDescriptor()).build();

    static Bootstrap bootstrap() throws InvalidProtocolBufferException {
        List<com.fasterxml.jackson.databind.JsonNode> docs = Manifests.documents(FILE);
        assertThat(docs).hasSize(1);
        Bootstrap.Builder b = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(TYPES).merge(docs.get(0).toString(), b);
        return b.build();
    }

    private static Cluster cluster(Bootstrap b, String name) {
        return b.getStaticResources().getClustersList().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no cluster " + name));
    }

    @Test
    void sdsCluster_isHttp2_overTheAgentsDefaultSocket() throws Exception {
        Cluster sds = cluster(bootstrap(), SDS_CLUSTER);
        String path = sds.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getPipe()
                .getPath();
        assertThat(path).isEqualTo(AgentSetting.SDS_SOCKET.defaultValue().orElseThrow());
        Any options = sds.getTypedExtensionProtocolOptionsOrThrow("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
        assertThat(options.unpack(HttpProtocolOptions.class).getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    }

    @Test
    void everySdsSecret_isDefaultOrRootca_fromTheSdsCluster_withIstiosStreamSettings() throws Exception {
        List<SdsSecretConfig> secrets = new ArrayList<>();
        Bootstrap b = bootstrap();
        for (Listener l : b.getStaticResources().getListenersList()) {
            for (FilterChain fc : l.getFilterChainsList()) {
                if (fc.hasTransportSocket()) {
                    collect(unpack(fc.getTransportSocket(), DownstreamTlsContext.class).getCommonTlsContext(), secrets);
                }
            }
        }
        for (Cluster c : b.getStaticResources().getClustersList()) {
            if (c.hasTransportSocket()) {
                collect(unpack(c.getTransportSocket(), UpstreamTlsContext.class).getCommonTlsContext(), secrets);
            }
        }
        assertThat(secrets).extracting(SdsSecretConfig::getName).contains(SecretNames.DEFAULT, SecretNames.ROOTCA)
                .containsOnly(SecretNames.DEFAULT, SecretNames.ROOTCA);
        for (SdsSecretConfig s : secrets) {
            ConfigSource cs = s.getSdsConfig();
            ApiConfigSource api = cs.getApiConfigSource();
            assertThat(api.getApiType()).isEqualTo(ApiConfigSource.ApiType.GRPC);
            assertThat(api.getTransportApiVersion()).isEqualTo(ApiVersion.V3);
            assertThat(api.getSetNodeOnFirstMessageOnly()).isTrue();
            assertThat(api.getGrpcServicesList()).singleElement()
                    .satisfies(g -> assertThat(g.getEnvoyGrpc().getClusterName()).isEqualTo(SDS_CLUSTER));
            assertThat(cs.hasInitialFetchTimeout()).isTrue();
            assertThat(cs.getInitialFetchTimeout().getSeconds() + cs.getInitialFetchTimeout().getNanos()).isZero();
            assertThat(cs.getResourceApiVersion()).isEqualTo(ApiVersion.V3);
        }
    }

    @Test
    void inboundListener_takesBothSecrets_requiresClientCertificates_onTheProxysInboundPort() throws Exception {
        Listener inbound = bootstrap().getStaticResources().getListenersList().stream()
                .filter(l -> l.getFilterChainsList().stream().anyMatch(FilterChain::hasTransportSocket))
                .findFirst().orElseThrow();
        DownstreamTlsContext tls = unpack(inbound.getFilterChains(0).getTransportSocket(), DownstreamTlsContext.class);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        List<SdsSecretConfig> secrets = new ArrayList<>();
        collect(tls.getCommonTlsContext(), secrets);
        assertThat(secrets).extracting(SdsSecretConfig::getName)
                .containsExactlyInAnyOrder(SecretNames.DEFAULT, SecretNames.ROOTCA);
        assertThat(inbound.getAddress().getSocketAddress().getPortValue())
                .isEqualTo(WorkloadExampleTest.port(WorkloadExampleTest.proxyDefault("--inbound-addr")));
    }

    private static <T extends com.google.protobuf.Message> T unpack(TransportSocket ts, Class<T> type)
            throws InvalidProtocolBufferException {
        return ts.getTypedConfig().unpack(type);
    }

    private static void collect(CommonTlsContext ctx, List<SdsSecretConfig> out) {
        out.addAll(ctx.getTlsCertificateSdsSecretConfigsList());
        if (ctx.hasValidationContextSdsSecretConfig()) {
            out.add(ctx.getValidationContextSdsSecretConfig());
        }
        if (ctx.hasCombinedValidationContext()) {
            out.add(ctx.getCombinedValidationContext().getValidationContextSdsSecretConfig());
        }
    }
}
