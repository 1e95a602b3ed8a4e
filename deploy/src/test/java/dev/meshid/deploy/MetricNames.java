package dev.meshid.deploy;

import dev.meshid.agent.admin.AgentMetrics;
import dev.meshid.agent.ca.CaCallException;
import dev.meshid.agent.cache.SecretCache;
import dev.meshid.ca.metrics.CaMetrics;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus exposition the CA and the agent really produce: their metrics classes are exercised so every
 * series (labelled ones included) appears once, then scraped. Meters that the agent's wiring class registers
 * on the metrics object (SDS counters and gauges) are registered here under the names its source uses.
 */
final class MetricNames {
    private MetricNames() {
    }

    static String caScrape() {
        CaMetrics m = new CaMetrics();
        m.inFlight(() -> 0);
        m.csrReceived();
        m.issued(Duration.ofMillis(3));
        m.authenticationFailed(Duration.ofMillis(1));
        m.csrRefused();
        m.signError("sign_failed", Duration.ofMillis(2));
        m.signed(Duration.ofMillis(1));
        m.keySourceRejected();
        Instant now = Instant.now();
        m.signingMaterial(now.plus(Duration.ofDays(3650)), now.plus(Duration.ofDays(365)));
        return m.scrape();
    }

    static String agentScrape() {
        Clock clock = Clock.systemUTC();
        AgentMetrics m = new AgentMetrics(new SecretCache(clock, false), clock);
        m.onFailure(new CaCallException(Status.Code.UNAVAILABLE, "CA unreachable"), 1, Duration.ofSeconds(1));
        // Registered by the wiring and by AgentMetrics.watch, which needs a running SDS server to call for real.
        String wiring = Manifests.source("node-agent", "dev/meshid/agent/NodeAgent.java")
                + Manifests.source("node-agent", "dev/meshid/agent/admin/AgentMetrics.java");
        for (String name : literals(wiring, "functionCounter")) {
            m.functionCounter(name, "registered by NodeAgent", new Object(), o -> 0);
        }
        for (String name : literals(wiring, "gauge")) {
            m.gauge(name, "registered by NodeAgent", new Object(), o -> 0);
        }
        return m.scrape();
    }

    /** The metric names (first argument string literals) of calls {@code [metrics.]<method>("name", ...)}. */
    static List<String> literals(String source, String method) {
        Matcher mt = Pattern.compile("\\b" + method + "\\(\\s*\"([a-zA-Z0-9_:.]+)\"").matcher(source);
        List<String> out = new ArrayList<>();
        while (mt.find()) {
            out.add(mt.group(1));
        }
        return out;
    }

    /** Series names of a Prometheus text exposition (TYPE lines and samples). */
    static List<String> names(String exposition) {
        List<String> out = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                out.add(line.split(" ")[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                out.add(line.substring(0, end));
            }
        }
        return out;
    }
}
