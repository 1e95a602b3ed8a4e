package dev.meshid.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
    @ParameterizedTest
    @CsvSource({"127.0.0.1:8080, 127.0.0.1, 8080", "istiod.istio-system.svc:15012, istiod.istio-system.svc, 15012",
        "'[::1]:15021', ::1, 15021", "'[fe80::1%eth0]:1', fe80::1%eth0, 1", "' localhost:0 ', localhost, 0",
        "h:65535, h, 65535"})
    void parse_hostAndPort_givesBoth(String text, String host, int port) {
        assertThat(HostPort.parse(text)).isEqualTo(new HostPort(host, port));
        assertThat(HostPort.parseListen(text)).isEqualTo(new HostPort(host, port));
    }

    @Test
    void parseListen_emptyHost_meansEveryInterface() {
        HostPort every = HostPort.parseListen(":15012");

        assertThat(every).isEqualTo(new HostPort("", 15012));
        assertThat(every.bindHost()).isEqualTo("0.0.0.0");
        assertThat(every).hasToString(":15012");
    }

    @Test
    void parse_emptyHost_isRefusedBecauseThereIsNothingToConnectTo() {
        assertThatThrownBy(() -> HostPort.parse(":15012")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\":15012\"").hasMessageContaining("the host is empty")
                .hasMessageNotContaining("every interface");
    }

    @ParameterizedTest
    @CsvSource({
        "localhost, it has no port",
        "'[::1]', it has no port",
        "h:, the port is not a number",
        "h:x, the port is not a number",
        "h:65536, the port is outside 0-65535",
        "h:-1, the port is outside 0-65535",
        "'::1:80', an IPv6 address must be written in brackets",
        "'[::1:80', the IPv6 address is not closed by ]",
        "'[]:80', the brackets hold no address",
        "'a b:80', the host is not a host name or address",
        "'http://h:80', the host is not a host name or address",
        "'h]:80', the host is not a host name or address",
        "'h/x:80', the host is not a host name or address",
    })
    void parse_malformed_isRefusedNamingTheTextWhatIsWrongAndTheForms(String text, String why) {
        for (Function<String, HostPort> parser : List.<Function<String, HostPort>>of(HostPort::parse,
                HostPort::parseListen)) {
            assertThatThrownBy(() -> parser.apply(text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + text + "\"").hasMessageContaining(why)
                    .hasMessageContaining("HOST:PORT").hasMessageContaining("[IPV6]:PORT");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void parse_empty_isRefused(String text) {
        assertThatThrownBy(() -> HostPort.parseListen(text)).hasMessageContaining("it is empty")
                .hasMessageContaining(":PORT for every interface");
        assertThatThrownBy(() -> HostPort.parse(null)).hasMessageContaining("it is empty");
    }

    @Test
    void new_portOutOfRange_isRefused() {
        assertThatThrownBy(() -> new HostPort("h", 70000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000").hasMessageContaining("0-65535");
        assertThatThrownBy(() -> new HostPort(null, 1)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8080", "[::1]:15021", "[2001:db8::7]:443", "istiod:15012"})
    void toString_parsesBackToAnEqualValue(String text) {
        HostPort parsed = HostPort.parse(text);

        assertThat(parsed).hasToString(text);
        assertThat(HostPort.parse(parsed.toString())).isEqualTo(parsed);
    }

    @Test
    void bindHost_givenHost_isThatHost() {
        assertThat(new HostPort("127.0.0.1", 1).bindHost()).isEqualTo("127.0.0.1");
    }
}
