package dev.meshid.ca.bench;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrBuilder;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CSRs a run sends, made before it starts so that the client spends no time on key generation: either
 * {@code n} fresh EC P-256 requests for one SPIFFE ID, or the {@code *.csr} PEM files of a directory (for
 * example the peer benchmark's, so that both CAs sign the very same requests).
 */
final class CsrPool {
    private CsrPool() {
    }

    static List<String> generate(int n, SpiffeId id) throws PkiException {
        if (n < 1) {
            throw new IllegalArgumentException("--csrs must be at least 1, got " + n);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Pem.write(CsrBuilder.forKeyPair(Keys.generate(KeyAlgorithm.EC_P256), id).build()));
        }
        return out;
    }

    static List<String> readDir(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".csr")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no *.csr files in " + dir + "; point --csr-dir at a directory of PEM CSRs");
        }
        List<String> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(Files.readString(f, StandardCharsets.US_ASCII));
        }
        return out;
    }
}
