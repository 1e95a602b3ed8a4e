package dev.meshid.ca.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Where a KV secret lives: its mount, its path inside the mount and the mount's KV version. Found the way the
 * Vault CLI finds it, by asking {@code sys/internal/ui/mounts/<path>} which mount holds the path and with
 * which options (https://developer.hashicorp.com/vault/api-docs/system/internal-ui-mounts), unless the version
 * is configured.
 *
 * @param mount the mount path without slashes, e.g. {@code secret} or {@code team/kv}
 * @param secret the secret's path inside the mount, e.g. {@code meshid/cacerts}
 * @param version 1 or 2
 */
record KvLocation(String mount, String secret, int version) {
    private static final ObjectMapper JSON = new ObjectMapper();

    KvLocation {
        Objects.requireNonNull(mount, "mount");
        Objects.requireNonNull(secret, "secret");
    }

    /** The path as {@code vault kv get} takes it. */
    String kvPath() {
        return mount + "/" + secret;
    }

    /** The HTTP API path of a read: {@code <mount>/data/<secret>} for KV v2. */
    String apiPath() {
        return version == 2 ? mount + "/data/" + secret : kvPath();
    }

    int mountDepth() {
        return VaultPaths.segments(mount).size();
    }

    /** The location of {@code kvPath}: configured ({@code version} not null; the mount is the first segment) or detected. */
    static KvLocation locate(VaultClient client, String kvPath, Integer version) throws VaultFailure {
        String path = VaultPaths.clean(kvPath);
        List<String> parts = VaultPaths.segments(path);
        if (version != null) {
            return new KvLocation(parts.get(0), String.join("/", parts.subList(1, parts.size())), version);
        }
        String mountsPath = "sys/internal/ui/mounts/" + path;
        String body;
        try {
            body = client.read(mountsPath, mountsPath, "finding the KV mount of " + path);
        } catch (VaultFailure f) {
            if (f.kind() == VaultFailure.Kind.NOT_FOUND) {
                // Vault before 0.10.2 has no such endpoint and only KV v1, which is what the CLI assumes too.
                return new KvLocation(parts.get(0), String.join("/", parts.subList(1, parts.size())), 1);
            }
            throw f;
        }
        JsonNode data;
        try {
            data = JSON.readTree(body).path("data");
        } catch (IOException e) {
            throw new VaultFailure(VaultFailure.Kind.MALFORMED, "the answer of " + mountsPath + " is not JSON");
        }
        String mount = VaultPaths.clean(data.path("path").asText(""));
        String type = data.path("type").asText("");
        if (mount.isEmpty() || !(path + "/").startsWith(mount + "/")) {
            throw new VaultFailure(VaultFailure.Kind.MALFORMED, "the answer of " + mountsPath
                    + " names no mount holding " + path + " (data.path \"" + data.path("path").asText("") + "\")");
        }
        if (!type.equals("kv") && !type.equals("generic")) {
            throw new VaultFailure(VaultFailure.Kind.BAD_REQUEST, mount + "/ is a \"" + type + "\" mount, not a KV"
                    + " mount; point --vault-kv-path at a secret in a KV secrets engine");
        }
        String secret = path.length() > mount.length() ? path.substring(mount.length() + 1) : "";
        if (secret.isEmpty()) {
            throw new VaultFailure(VaultFailure.Kind.BAD_REQUEST, "--vault-kv-path " + path + " is the mount " + mount
                    + "/ itself; name the secret inside it, e.g. " + mount + "/meshid/cacerts");
        }
        int v = "2".equals(data.path("options").path("version").asText("1")) ? 2 : 1;
        return new KvLocation(mount, secret, v);
    }
}
