package dev.meshid.ca.http;

import dev.meshid.ca.metrics.CaMetrics;
import dev.meshid.ca.signing.Signer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The CA's plain-HTTP side port: {@code /healthz/live} (200 while the process runs), {@code /healthz/ready}
 * (200 once signing material is loaded and the key source, e.g. Vault, says it can sign; else 503), {@code /metrics} (Prometheus text) and {@code /bundle} (the
 * trust bundle: PEM, or the SPIFFE bundle JSON when the client accepts {@code application/json}). Every answer
 * reads in-memory state only, so a slow signer or API server never blocks a probe.
 */
public final class HttpEndpoints {
    private final Signer signer;
    private final CaMetrics metrics;
    private final Supplier<Readiness> keySource;
    private Supplier<java.util.Optional<dev.meshid.ca.rotation.RotationReport>> rotation = java.util.Optional::empty;

    public HttpEndpoints(Signer signer, CaMetrics metrics) {
        this(signer, metrics, () -> Readiness.OK);
    }

    /**
     * With what the key source says about readiness (a remote source such as Vault): ready needs the signer's
     * material and the source's word; the source's detail is shown in either answer.
     */
    public HttpEndpoints(Signer signer, CaMetrics metrics, Supplier<Readiness> keySource) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.keySource = Objects.requireNonNull(keySource, "keySource");
    }

    /**
     * What a key source adds to {@code /healthz/ready}.
     *
     * @param ready whether the source can be signed with now
     * @param detail one line for the probe's body (e.g. why Vault is unreachable), or null
     */
    public record Readiness(boolean ready, String detail) {
        public static final Readiness OK = new Readiness(true, null);
    }

    /** Serves {@code /debug/rotation} (JSON, see {@link dev.meshid.ca.rotation.RotationJson}) from {@code report}. */
    public HttpEndpoints withRotation(Supplier<java.util.Optional<dev.meshid.ca.rotation.RotationReport>> report) {
        this.rotation = Objects.requireNonNull(report, "report");
        return this;
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/healthz/live").handler(rc -> text(rc, 200, "ok\n"));
        router.get("/healthz/ready").handler(rc -> {
            Readiness source = keySource.get();
            String detail = source.detail() == null ? "" : source.detail() + "\n";
            if (signer.ready() && source.ready()) {
                text(rc, 200, "ready\n" + detail);
            } else if (!signer.ready()) {
                text(rc, 503, "not ready: no signing material loaded yet\n" + detail);
            } else {
                text(rc, 503, "not ready\n" + detail);
            }
        });
        router.get("/metrics").handler(rc -> rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.get("/bundle").handler(this::bundle);
        router.get("/debug/rotation").handler(rc -> rotation.get().ifPresentOrElse(
                r -> rc.response().putHeader("Content-Type", "application/json")
                        .end(dev.meshid.ca.rotation.RotationJson.write(r)),
                () -> text(rc, 503, "no rotation state yet: no signing material loaded\n")));
        return router;
    }

    private void bundle(RoutingContext rc) {
        Optional<Signer.Active> active = signer.active();
        if (active.isEmpty()) {
            text(rc, 503, "no trust bundle yet: no signing material loaded\n");
            return;
        }
        String accept = Optional.ofNullable(rc.request().getHeader("Accept")).orElse("");
        if (accept.contains("application/json")) {
            rc.response().putHeader("Content-Type", "application/json")
                    .end(SpiffeBundleJson.of(active.get().bundle().roots(), active.get().sequence()));
        } else {
            rc.response().putHeader("Content-Type", "application/x-pem-file")
                    .end(active.get().bundle().roots().toPem());
        }
    }

    private static void text(RoutingContext rc, int status, String body) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }
}
