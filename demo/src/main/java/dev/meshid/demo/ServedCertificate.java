package dev.meshid.demo;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.pem.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the details proxy really serves: a real {@code openssl s_client} handshake with productpage's
 * OUTPUT_CERTS files (chain verified against the root, failures are errors), and the serial of the certificate
 * the proxy presented. Also reads the agent's view of its certificate from {@code /debug/certs}.
 */
final class ServedCertificate {
    private static final Pattern CERT = Pattern.compile(
            "-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----");
    private static final Pattern SERIAL = Pattern.compile("\"serial\"\\s*:\\s*\"([0-9a-fA-F:]+)\"");

    private ServedCertificate() {
    }

    /**
     * The leaf and the rest of a chain file, split for tools that want them apart (openssl {@code -untrusted}).
     * {@code intermediates} is null when the leaf is signed by the root itself (the self-signed CA).
     */
    record SplitChain(Path leaf, Path intermediates) {
        static SplitChain of(Path chainFile, Path dir) throws IOException, PkiException {
            List<X509Certificate> chain = Pem.readCertificates(Files.readString(chainFile));
            if (chain.isEmpty()) {
                throw new IOException(chainFile + " holds no certificate");
            }
            Path leaf = Files.writeString(dir.resolve("leaf.pem"), Pem.write(chain.get(0)));
            Path rest = chain.size() == 1 ? null
                    : Files.writeString(dir.resolve("intermediates.pem"), Pem.write(chain.subList(1, chain.size())));
            return new SplitChain(leaf, rest);
        }

        /** {@code flag intermediates.pem}, or nothing when there are no intermediates. */
        List<String> intermediatesAs(String flag) {
            return intermediates == null ? List.of() : List.of(flag, intermediates.toString());
        }
    }

    /** The serial (lower-case hex) of the certificate the TLS server at {@code port} presents. */
    static String servedSerial(int port, SplitChain client, Path key, Path root)
            throws IOException, InterruptedException, PkiException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect",
                Topology.LOOPBACK + ":" + port, "-cert", client.leaf().toString()));
        cmd.addAll(client.intermediatesAs("-cert_chain"));
        cmd.addAll(List.of("-key", key.toString(), "-CAfile", root.toString(), "-verify_return_error", "-tls1_3"));
        Exec.Result r = Exec.run(cmd, "", Duration.ofSeconds(10));
        Matcher m = CERT.matcher(r.output());
        if (!m.find()) {
            throw new IOException("openssl s_client got no certificate from 127.0.0.1:" + port + " (exit "
                    + r.exitCode() + "): " + lastLine(r.output()));
        }
        return Pem.readCertificate(m.group()).getSerialNumber().toString(16);
    }

    /** The serial the agent at {@code adminPort} holds, from {@code /debug/certs}. */
    static String agentSerial(int adminPort) throws IOException {
        RawHttp.Response r = RawHttp.send(Topology.loopback(adminPort), "GET", "127.0.0.1", "/debug/certs", null,
                Duration.ofSeconds(5));
        Matcher m = SERIAL.matcher(r.body());
        if (r.status() != 200 || !m.find()) {
            throw new IOException("agent /debug/certs answered " + r.summary());
        }
        return normalize(m.group(1));
    }

    static String normalize(String hex) {
        String s = hex.replace(":", "").toLowerCase(java.util.Locale.ROOT).replaceFirst("^0+(?=.)", "");
        return s;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
