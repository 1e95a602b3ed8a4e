package dev.meshid.proxy.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceHostTest {
  @ParameterizedTest(name = "{0} -> {1} in {2} port {3}")
  @CsvSource(nullValues = "null", value = {
      "details, details, bookinfo, 80",
      "details:9080, details, bookinfo, 9080",
      "details.default, details.default, default, 80",
      "details.default.svc, details.default.svc, default, 80",
      "details.other.svc.cluster.local:9080, details.other.svc.cluster.local, other, 9080",
      "api.example.com, api.example.com, null, 80",
      "www.api.example.com:443, www.api.example.com, null, 443",
      "127.0.0.1:8080, 127.0.0.1, null, 8080",
      "DETAILS.Default.SVC, details.default.svc, default, 80",
  })
  void parse_hostHeader_givesHostNamespaceAndPort(String header, String host, String ns, int port) {
    ServiceHost h = ServiceHost.parse(header, "bookinfo");

    assertThat(h).isEqualTo(new ServiceHost(host, ns, port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ":80", "details:http", "details:0", "details:70000"})
  void parse_malformedHost_isRefused(String header) {
    assertThatThrownBy(() -> ServiceHost.parse(header, "default")).isInstanceOf(IllegalArgumentException.class);
  }
}
