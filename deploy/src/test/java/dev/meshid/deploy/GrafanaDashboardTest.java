package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard parses and queries only series the CA and the agent really export. */
class GrafanaDashboardTest {
    private static final Path FILE = Manifests.DEPLOY.resolve("grafana/meshid-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:citadel|istio_agent|meshid)_[a-zA-Z0-9_]+)\\b");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    private static final Pattern SELECTOR_LABEL = Pattern.compile("[{,]\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!=|!~|=)");
    /** Labels Prometheus adds when scraping, not the exporter. */
    private static final Set<String> TARGET_LABELS = Set.of("le", "instance", "job", "namespace", "pod");

    private static JsonNode dashboard;
    private static String exposition;

    @BeforeAll
    static void load() throws IOException {
        dashboard = Manifests.JSON.readTree(FILE.toFile());
        exposition = MetricNames.caScrape() + MetricNames.agentScrape();
    }

    private static List<JsonNode> panels() {
        List<JsonNode> out = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            out.add(p);
            p.path("panels").forEach(out::add);
        });
        return out;
    }

    private static List<String> expressions() {
        List<String> out = new ArrayList<>();
        for (JsonNode p : panels()) {
            p.path("targets").forEach(t -> out.add(t.path("expr").asText()));
        }
        return out;
    }

    @Test
    void dashboard_isAModernGrafanaDashboard_withAPrometheusDatasourceVariable() {
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        JsonNode ds = null;
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("datasource")) {
                ds = v;
            }
        }
        assertThat(ds).as("a datasource variable").isNotNull();
        assertThat(ds.path("query").asText()).isEqualTo("prometheus");
        String ref = "${" + ds.path("name").asText() + "}";
        for (JsonNode p : panels()) {
            if (!p.path("type").asText().equals("row")) {
                assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo(ref);
                assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
            }
        }
    }

    @Test
    void everyQueriedMetric_isOneTheCodeRegisters() {
        Set<String> exported = new HashSet<>(MetricNames.names(exposition));
        Set<String> queried = new LinkedHashSet<>();
        for (String expr : expressions()) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertThat(queried).isNotEmpty();
        assertThat(exported).containsAll(queried);
    }

    @Test
    void everyGroupingOrSelectorLabel_isALabelOfAQueriedSeries() {
        for (String expr : expressions()) {
            Set<String> labels = new HashSet<>();
            Matcher by = BY.matcher(expr);
            while (by.find()) {
                for (String l : by.group(1).split(",")) {
                    labels.add(l.strip());
                }
            }
            Matcher sel = SELECTOR_LABEL.matcher(expr);
            while (sel.find()) {
                labels.add(sel.group(1));
            }
            labels.removeAll(TARGET_LABELS);
            Matcher m = METRIC.matcher(expr);
            List<String> metrics = new ArrayList<>();
            while (m.find()) {
                metrics.add(m.group(1));
            }
            for (String label : labels) {
                assertThat(metrics).as(expr + ": some series carries label " + label).anySatisfy(metric ->
                        assertThat(exposition).containsPattern("(?m)^" + metric + "\\{[^}]*\\b" + label + "=\""));
            }
        }
    }

    @Test
    void dashboard_coversIssuanceErrorsLatencyExpiryAndRotations() {
        String all = String.join("\n", expressions());
        assertThat(all).contains("citadel_server_csr_count", "citadel_server_success_cert_issuance_count",
                "citadel_server_csr_sign_err_count", "citadel_server_authentication_failure_count",
                "citadel_server_root_cert_expiry_timestamp", "citadel_server_cert_chain_expiry_timestamp",
                "istio_agent_cert_expiry_seconds", "meshid_agent_rotations");
        assertThat(all).containsPattern("histogram_quantile\\([^,]+, *sum by \\(le\\) \\(rate\\(meshid_ca_csr_duration_seconds_bucket");
        assertThat(all).contains("citadel_server_root_cert_expiry_timestamp) - time()");
    }

    @Test
    void panels_haveUniqueIds_andDoNotOverlap() {
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode p : panels()) {
            assertThat(ids.add(p.path("id").asInt())).as("unique id " + p.path("id")).isTrue();
            JsonNode g = p.path("gridPos");
            int[] b = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
            assertThat(b[0] + b[2]).as(p.path("title").asText() + " fits 24 columns").isLessThanOrEqualTo(24);
            for (int[] o : boxes) {
                boolean overlap = b[0] < o[0] + o[2] && o[0] < b[0] + b[2] && b[1] < o[1] + o[3] && o[1] < b[1] + b[3];
                assertThat(overlap).as(p.path("title").asText() + " overlaps another panel").isFalse();
            }
            boxes.add(b);
        }
    }
}
