package dev.meshid.pki.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Probes a TLS listener with the real {@code openssl s_client}: which protocol versions and cipher suites it
 * agrees to. The client is loosened ({@code @SECLEVEL=0}) so that a refusal comes from the server, not from
 * openssl's own defaults. Suites this openssl build cannot offer (3DES and RC4 are often compiled out) are
 * reported, not silently passed.
 */
public final class TlsProbe {
    /** Old or weak TLS 1.2 suites: RSA key exchange, CBC modes, 3DES, RC4 (OpenSSL names). */
    public static final List<String> WEAK_TLS12_SUITES = List.of("AES128-SHA", "AES256-GCM-SHA384",
            "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES128-SHA256",
            "DES-CBC3-SHA", "ECDHE-RSA-DES-CBC3-SHA", "RC4-SHA", "ECDHE-RSA-RC4-SHA");
    private static final Pattern NEW = Pattern.compile("New, (\\S+), Cipher is (\\S+)");

    /** The outcome of one handshake attempt. */
    public record Handshake(boolean established, String protocol, String cipher, String output) {
    }

    private TlsProbe() {
    }

    /** {@code openssl s_client -connect <address> <args>} with no input; returns what was negotiated. */
    public static Handshake connect(InetSocketAddress address, List<String> args) {
        List<String> all = new ArrayList<>(List.of("s_client", "-connect",
                address.getHostString() + ":" + address.getPort()));
        all.addAll(args);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("meshid-tlsprobe");
            OpenSsl.Result r = OpenSsl.run(dir, all);
            Matcher m = NEW.matcher(r.output());
            boolean ok = m.find() && !m.group(2).equals("(NONE)");
            return new Handshake(ok, ok ? m.group(1) : "", ok ? m.group(2) : "", r.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                dir.toFile().delete();
            }
        }
    }

    /**
     * Asserts meshid's TLS policy on a listener: TLS 1.0 and 1.1 refused, every weak TLS 1.2 suite this openssl
     * can offer refused, TLS 1.3 and TLS 1.2 with ECDHE + AES-GCM accepted.
     *
     * @param clientArgs extra s_client arguments, e.g. {@code -cert}/{@code -key} for a listener that requires
     *     a client certificate
     * @return one line per check, for the test to print
     */
    public static List<String> assertModernOnly(InetSocketAddress address, List<String> clientArgs) {
        List<String> report = new ArrayList<>();
        for (String version : List.of("-tls1", "-tls1_1")) {
            Handshake h = connect(address, args(clientArgs, version, "-cipher", "DEFAULT@SECLEVEL=0"));
            assertThat(h.established()).as("%s must be refused, got %s %s\n%s", version, h.protocol(), h.cipher(),
                    h.output()).isFalse();
            report.add(version + ": refused");
        }
        for (String suite : WEAK_TLS12_SUITES) {
            if (!OpenSsl.run(Path.of("."), List.of("ciphers", suite + "@SECLEVEL=0")).ok()) {
                report.add("-tls1_2 " + suite + ": not offered by this openssl build, not checked");
                continue;
            }
            Handshake h = connect(address, args(clientArgs, "-tls1_2", "-cipher", suite + "@SECLEVEL=0"));
            assertThat(h.established()).as("TLS 1.2 %s must be refused, got %s\n%s", suite, h.cipher(), h.output())
                    .isFalse();
            report.add("-tls1_2 " + suite + ": refused");
        }
        Handshake tls13 = connect(address, args(clientArgs, "-tls1_3"));
        assertThat(tls13.established()).as("TLS 1.3 must be accepted\n%s", tls13.output()).isTrue();
        assertThat(tls13.protocol()).isEqualTo("TLSv1.3");
        report.add("-tls1_3: accepted, " + tls13.cipher());
        Handshake tls12 = connect(address, args(clientArgs, "-tls1_2", "-cipher",
                "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"
                        + ":ECDHE-RSA-AES256-GCM-SHA384"));
        assertThat(tls12.established()).as("TLS 1.2 ECDHE-GCM must be accepted\n%s", tls12.output()).isTrue();
        assertThat(tls12.cipher()).startsWith("ECDHE-").contains("GCM");
        report.add("-tls1_2 ECDHE-*-GCM: accepted, " + tls12.cipher());
        return report;
    }

    private static List<String> args(List<String> clientArgs, String... more) {
        List<String> all = new ArrayList<>(List.of(more));
        all.addAll(clientArgs);
        return all;
    }
}
