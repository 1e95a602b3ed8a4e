package dev.meshid.ca.vault;

import java.util.Arrays;
import java.util.List;

/** Vault path text: segments without empty parts, joined without leading or trailing slashes. */
final class VaultPaths {
    private VaultPaths() {
    }

    static List<String> segments(String path) {
        return Arrays.stream(path == null ? new String[0] : path.split("/")).filter(s -> !s.isBlank()).toList();
    }

    static String clean(String path) {
        return String.join("/", segments(path));
    }
}
