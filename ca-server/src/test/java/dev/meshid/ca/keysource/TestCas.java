package dev.meshid.ca.keysource;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Plug-in CA material for key-source tests, generated at test time with {@link TestPki}. */
public final class TestCas {
    private TestCas() {
    }

    /** A root and an intermediate signing CA below it, as a bundle, issued at the clock's now. */
    public static KeyCertBundle pluginCa(Clock clock, String name) {
        TestPki.Issued root = TestPki.root(name + " root").at(clock).build();
        TestPki.Issued ca = root.intermediate(name + " CA").build();
        return new KeyCertBundle(ca.signer(), ca.intermediates(), new TrustBundle(List.of(root.cert())));
    }

    /** The plug-in files of {@code bundle} with {@code ca-key.pem} replaced by a key of another certificate. */
    public static Map<String, String> withForeignKey(Map<String, String> files) {
        Map<String, String> out = new java.util.LinkedHashMap<>(files);
        out.put("ca-key.pem", Pem.writePrivateKey(Keys.generate(KeyAlgorithm.EC_P256).getPrivate()));
        return out;
    }

    /** Writes the files into {@code dir}, each replacing the old one in a single rename. */
    public static void writeFiles(Path dir, Map<String, String> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path tmp = dir.resolve("." + e.getKey() + ".new");
            Files.writeString(tmp, e.getValue(), StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
