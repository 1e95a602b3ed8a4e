package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.bundle.v1.TrustBundle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream opened before the CA has signing material (only possible on the plaintext debugging port, where the
 * gRPC port opens at once): it stays open and gets the first bundle when the material arrives.
 */
class BundleStreamBeforeSignerE2ETest {
    @TempDir
    Path dir;

    @Test
    void watchBundle_beforeSigningMaterial_receivesTheFirstBundleWhenItLoads() throws Exception {
        try (PlainCa ca = new PlainCa(dir, null, Map.of());
             BundleStream s = new BundleStream(ca.channel, CaFixture.bearer(ca.tokens.token("istio-system", "agent")))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ca.server.bundleWatchers().connected() == 1);
            assertThat(s.received).isEmpty();

            ca.keys.deliver(ca.bundle());

            TrustBundle first = s.next();
            assertThat(BundleStreamE2ETest.roots(first)).containsExactly(ca.root.cert());
            assertThat(first.getVersion()).isEqualTo(BundleStreamE2ETest.version(java.util.List.of(ca.root.cert())));
        }
    }
}
