package dev.meshid.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.agent.NodeAgent;
import dev.meshid.agent.ca.Backoff;
import dev.meshid.agent.ca.ClockSkew;
import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.ca.RetryPolicy;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.agent.testing.ManualScheduler;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.sds.secret.SecretNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault: the agent's clock is minutes off the CA's. The CA runs on real time and backdates NotBefore by 2 minutes;
 * the agent runs on a {@link FakeClock} set off by the skew. Certificates must be accepted and served, renewal
 * planned once (no loop), and a skew beyond the backdate named.
 */
class ClockSkewFaultTest {
    private static final Duration BACKDATE = Duration.ofMinutes(2);

    @TempDir
    Path dir;
    private RealCa ca;
    private NodeAgent agent;

    @BeforeEach
    void startCa() throws Exception {
        ca = new RealCa(dir);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        ca.close();
    }

    private NodeAgent agent(FakeClock clock, ManualScheduler scheduler, String ttl) throws Exception {
        Path token = Files.writeString(dir.resolve("istio-token"), ca.token("shop", "web"));
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        flags.put(AgentSetting.CA_ADDR, "127.0.0.1:" + ca.port());
        flags.put(AgentSetting.CA_SERVER_NAME, RealCa.SERVER_NAME);
        flags.put(AgentSetting.CA_ROOT, ca.rootFile.toString());
        flags.put(AgentSetting.TOKEN_PATH, token.toString());
        flags.put(AgentSetting.POD_NAMESPACE, "shop");
        flags.put(AgentSetting.SERVICE_ACCOUNT, "web");
        flags.put(AgentSetting.SECRET_TTL, ttl);
        flags.put(AgentSetting.SDS_SOCKET, dir.resolve("sds.sock").toString());
        flags.put(AgentSetting.WORKLOAD_API_SOCKET, "off");
        agent = NodeAgent.builder(ConfigLoader.load(flags, Map.of())).clock(clock).scheduler(scheduler)
                .random(new SplittableRandom(7))
                .retryPolicy(new RetryPolicy(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 2, 0.2)))
                .filePollInterval(Duration.ofDays(1)).socketCheckInterval(Duration.ofDays(1)).start();
        return agent;
    }

    private double counter(String name) {
        var c = agent.metrics().registry().find(name).counter();
        return c == null ? 0 : c.count();
    }

    private double gauge(String name) {
        return agent.metrics().registry().get(name).gauge().value();
    }

    @ParameterizedTest(name = "agent clock {0} min against the CA")
    @ValueSource(ints = {-10, -5, 5, 10})
    void agentClockOffByMinutes_certificateAcceptedServedAndRenewedOnceWithoutLoop(int minutes) throws Exception {
        Duration skew = Duration.ofMinutes(minutes);
        FakeClock clock = FakeClock.at(Instant.now().plus(skew));
        ManualScheduler scheduler = new ManualScheduler(clock);
        agent(clock, scheduler, "1h");

        scheduler.runDue();
        IssuedCertificate cert = agent.cache().held().orElseThrow().certificate();
        Instant renewal = agent.cache().held().orElseThrow().rotateAt();
        // An hour of idle time, minus the skew: exactly one renewal may fall due, and nothing before the plan.
        scheduler.advance(Duration.between(clock.instant(), renewal).minusSeconds(1));
        double beforeRenewal = counter("istio_agent_num_outgoing_requests");
        double behind = gauge("meshid_agent_clock_behind_ca_seconds");
        Duration untilRenewal = Duration.between(cert.receivedAt(), renewal);
        System.out.printf("FAULT clock-skew %+d min: accepted=%s served=%s CA requests before renewal=%.0f "
                + "renewal in=%ds clockBehindCa=%.0fs not-yet-valid warning=%s%n", minutes, agent.cache().ready(),
                agent.cache().current(SecretNames.DEFAULT).isPresent(), beforeRenewal, untilRenewal.toSeconds(),
                behind, ClockSkew.notYetValidMessage(cert.leaf(), cert.receivedAt()).isPresent());

        assertThat(agent.cache().ready()).isTrue();
        assertThat(agent.cache().current(SecretNames.DEFAULT)).isPresent();
        assertThat(beforeRenewal).as("one CA request until the planned renewal: no rotation loop").isEqualTo(1);
        assertThat(untilRenewal).isGreaterThan(Duration.ofMinutes(20));
        boolean notYetValid = skew.negated().compareTo(BACKDATE) > 0;
        if (notYetValid) {
            // Behind by the skew minus the backdate, give or take the seconds the test took.
            assertThat(behind).isBetween(skew.negated().minus(BACKDATE).toSeconds() - 30.0,
                    skew.negated().minus(BACKDATE).toSeconds() + 1.0);
            assertThat(ClockSkew.notYetValidMessage(cert.leaf(), cert.receivedAt())).get().asString()
                    .contains("clock skew", "behind the CA's", "Fix the clock");
        } else {
            assertThat(behind).isZero();
            assertThat(ClockSkew.notYetValidMessage(cert.leaf(), cert.receivedAt())).isEmpty();
        }

        scheduler.advance(Duration.ofSeconds(2));
        assertThat(counter("istio_agent_num_outgoing_requests")).as("the renewal itself").isEqualTo(2);
        assertThat(agent.cache().held().orElseThrow().certificate().serialHex()).isNotEqualTo(cert.serialHex());
    }

    @Test
    void agentClockAheadByMoreThanTheLifetime_refusedWithAClearReasonAndRetriedAtTheCapNotInALoop() throws Exception {
        FakeClock clock = FakeClock.at(Instant.now().plus(Duration.ofMinutes(10)));
        ManualScheduler scheduler = new ManualScheduler(clock);
        agent(clock, scheduler, "5m");

        scheduler.runDue();
        Duration firstRetry = Duration.between(clock.instant(), scheduler.nextDue().orElseThrow());
        scheduler.advance(Duration.ofSeconds(30));
        double attempts = counter("istio_agent_num_outgoing_requests");
        double refusals = agent.metrics().registry().get("meshid_agent_ca_errors").tag("code", "FAILED_PRECONDITION")
                .counter().count();
        System.out.printf("FAULT clock-skew +10 min, 5 min TTL: held=%s attempts in 30 s=%.0f refused as "
                + "FAILED_PRECONDITION=%.0f first retry after=%dms%n", agent.cache().held().isPresent(), attempts,
                refusals, firstRetry.toMillis());

        assertThat(agent.cache().held()).isEmpty();
        assertThat(refusals).isEqualTo(attempts);
        // A clock problem is not retried quickly: the capped backoff (8 s +/- 20 %) from the first failure on.
        assertThat(firstRetry).isGreaterThanOrEqualTo(Duration.ofMillis(6400));
        assertThat(attempts).isBetween(2.0, 5.0);
        assertThat(agent.notReadyReason()).get().asString().contains("no certificate");
    }
}
