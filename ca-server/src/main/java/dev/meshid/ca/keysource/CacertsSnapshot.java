package dev.meshid.ca.keysource;

import dev.meshid.pki.bundle.PluginForm;
import dev.meshid.pki.pem.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the plug-in files of a directory as one consistent set.
 *
 * <p>A Kubernetes volume publishes a secret as {@code ca-cert.pem -> ..data/ca-cert.pem} and
 * {@code ..data -> ..2024_01_01_xx}, and updates it by renaming a new {@code ..data} symlink over the old
 * one. Reading each top-level link separately could mix the old and the new set across a swap, so when
 * {@code ..data} exists it is resolved once and every file is read from the directory it points to.
 */
final class CacertsSnapshot {
    static final String K8S_DATA_LINK = "..data";

    /** Content too large to be a plug-in file: refused, not read. */
    static final class OversizedException extends Exception {
        private static final long serialVersionUID = 1L;

        OversizedException(String message) {
            super(message);
        }
    }

    private CacertsSnapshot() {
    }

    /**
     * The files present, by name. An {@link IOException} means the set could not be read consistently right
     * now (e.g. the old {@code ..data} target was removed while reading); try again later.
     */
    static Map<String, String> read(Path dir) throws IOException, OversizedException {
        Path base = dir;
        Path data = dir.resolve(K8S_DATA_LINK);
        if (Files.isSymbolicLink(data)) {
            base = data.toRealPath();
        }
        Map<String, String> files = new TreeMap<>();
        for (String name : PluginForm.allFileNames()) {
            Path p = base.resolve(name);
            if (!Files.isRegularFile(p)) {
                continue;
            }
            long size = Files.size(p);
            if (size > Pem.MAX_PEM_BYTES) {
                throw new OversizedException(dir.resolve(name) + ": " + size + " bytes is larger than the "
                        + Pem.MAX_PEM_BYTES + "-byte limit for a plug-in CA file");
            }
            files.put(name, Files.readString(p, StandardCharsets.US_ASCII));
        }
        return files;
    }
}
