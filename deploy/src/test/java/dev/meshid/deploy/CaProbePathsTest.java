package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.http.HttpEndpoints;
import dev.meshid.ca.metrics.CaMetrics;
import dev.meshid.ca.signing.Signer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CA's probes and scrape annotation name paths that the CA's real HTTP router serves. */
class CaProbePathsTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private Set<String> routedPaths() {
        Signer signer = new Signer(Clock.systemUTC(), new SecureRandom(), Duration.ofHours(24));
        return new HttpEndpoints(signer, new CaMetrics()).router(vertx).getRoutes().stream().map(Route::getPath)
                .filter(Objects::nonNull).collect(Collectors.toSet());
    }

    @Test
    void everyProbePath_isARouteOfTheCaHttpEndpoints() {
        Deployment d = Manifests.one(Manifests.CA, Deployment.class, "meshid-ca");
        Container ca = Pods.container(d.getSpec().getTemplate().getSpec(), "ca");
        Set<String> routes = routedPaths();
        Set<String> probed = Stream.of(ca.getLivenessProbe(), ca.getReadinessProbe(), ca.getStartupProbe())
                .filter(Objects::nonNull).map(Probe::getHttpGet).map(h -> h.getPath()).collect(Collectors.toSet());
        assertThat(probed).isNotEmpty();
        assertThat(routes).containsAll(probed);
    }

    @Test
    void prometheusAnnotations_pointAtTheMetricsRouteOnTheMonitoringPort() {
        Deployment d = Manifests.one(Manifests.CA, Deployment.class, "meshid-ca");
        Map<String, String> ann = d.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(routedPaths()).contains(ann.get("prometheus.io/path"));
        assertThat(Integer.parseInt(ann.get("prometheus.io/port")))
                .isEqualTo(dev.meshid.ca.config.CaConfig.defaults().httpAddr().port());
    }
}
