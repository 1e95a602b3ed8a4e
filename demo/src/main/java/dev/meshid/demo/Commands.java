package dev.meshid.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The copy-paste commands that call the running demo, as argument lists (run by the demo) and as shell text. */
final class Commands {
    private Commands() {
    }

    /** productpage's view: plain HTTP to its outbound listener, routed by Host to details over mTLS. */
    static List<String> curlOutbound(Topology t, String method, String path) {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS"));
        if (!method.equals("GET")) {
            cmd.addAll(List.of("-X", method));
        }
        cmd.addAll(List.of("-H", "Host: details", "http://127.0.0.1:" + t.ports().productpageOutbound() + path));
        return cmd;
    }

    /**
     * Straight to details' STRICT port with productpage's OUTPUT_CERTS files. {@code -k}: curl checks host names,
     * and a mesh certificate names a SPIFFE ID instead; the proxy still demands and verifies the client's chain.
     */
    static List<String> curlStrict(Topology t, Path certs) {
        return List.of("curl", "-sS", "--max-time", "10", "-k", "--cert", certs.resolve("cert-chain.pem").toString(),
                "--key", certs.resolve("key.pem").toString(), "-w", "\\nHTTP %{http_code}\\n",
                "https://127.0.0.1:" + t.ports().detailsInbound() + "/details/0");
    }

    /** The same handshake with the chain verified against the root (openssl checks no host name by default). */
    static List<String> sClient(Topology t, Path certs, Path root) {
        return List.of("openssl", "s_client", "-connect", "127.0.0.1:" + t.ports().detailsInbound(),
                "-cert", certs.resolve("cert-chain.pem").toString(), "-cert_chain", certs.resolve("cert-chain.pem").toString(),
                "-key", certs.resolve("key.pem").toString(), "-CAfile", root.toString(), "-verify_return_error", "-brief");
    }

    /** Shell text for {@code args}, single-quoting what needs it. */
    static String shell(List<String> args) {
        return args.stream().map(a -> a.matches("[A-Za-z0-9_./:=@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
