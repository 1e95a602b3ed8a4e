package dev.meshid.ca.keysource;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** Turns a Kubernetes secret's {@code data} (base64) and {@code stringData} into text files and back. */
public final class SecretData {
    private SecretData() {
    }

    /** The secret's entries as text; a value that is not base64 is kept as its raw text so the verifier names it. */
    public static Map<String, String> decode(Secret secret) {
        Map<String, String> out = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, decodeValue(v)));
        }
        if (secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }

    public static Map<String, String> encode(Map<String, String> files) {
        Map<String, String> out = new TreeMap<>();
        files.forEach((k, v) -> out.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return out;
    }

    private static String decodeValue(String v) {
        if (v == null) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return v;
        }
    }
}
