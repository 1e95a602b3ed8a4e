package dev.meshid.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.id.SpiffeId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteAndHostPortTest {
  @Test
  void hostPort_parse_acceptsHostPortColonPortAndBracketedV6() {
    assertThat(HostPort.parse("127.0.0.1:8080")).isEqualTo(new HostPort("127.0.0.1", 8080));
    assertThat(HostPort.parse(":15006")).isEqualTo(new HostPort("0.0.0.0", 15006));
    assertThat(HostPort.parse("[::1]:15021")).isEqualTo(new HostPort("::1", 15021));
    assertThat(new HostPort("::1", 1).toString()).isEqualTo("[::1]:1");
  }

  @Test
  void hostPort_parse_refusesMissingOrBadPortsNamingTheFlagAndValue() {
    assertThatThrownBy(() -> Settings.parse("--app-addr", "localhost", HostPort::parse))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--app-addr").hasMessageContaining("'localhost'").hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> Settings.parse("--inbound-addr", "h:65536", HostPort::parse))
        .hasMessageContaining("--inbound-addr").hasMessageContaining("0-65535");
    assertThatThrownBy(() -> Settings.parse("--admin-addr", "h:x", HostPort::parse))
        .hasMessageContaining("--admin-addr").hasMessageContaining("the port is not a number");
    assertThatThrownBy(() -> Settings.parse("--outbound-addr", "::1:15001", HostPort::parse))
        .hasMessageContaining("--outbound-addr").hasMessageContaining("brackets");
  }

  @Test
  void hostPort_new_refusesAnEmptyHostOrPort() {
    assertThatThrownBy(() -> new HostPort("", 1)).hasMessageContaining("empty host");
    assertThatThrownBy(() -> new HostPort("h", 65536)).hasMessageContaining("0-65535");
  }

  @Test
  void route_parse_withAndWithoutExpectedPeer() {
    Route withPeer = Route.parse("Details=127.0.0.1:15006,spiffe://cluster.local/ns/default/sa/details");
    Route without = Route.parse("reviews=10.0.0.2:15006");

    assertThat(withPeer).isEqualTo(new Route("details", new HostPort("127.0.0.1", 15006),
        Optional.of(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/details"))));
    assertThat(without.expectedPeer()).isEmpty();
  }

  @Test
  void route_parse_refusesBadSpiffeIdsAndMissingHost() {
    assertThatThrownBy(() -> Route.parse("details=127.0.0.1:1,https://x")).hasMessageContaining("not a SPIFFE ID");
    assertThatThrownBy(() -> Route.parse("=127.0.0.1:1")).hasMessageContaining("HOST=ADDR");
  }
}
