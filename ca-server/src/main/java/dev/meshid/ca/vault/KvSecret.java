package dev.meshid.ca.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One read of a KV secret: its string fields and, for KV v2, its {@code metadata.version}. Parsed from the
 * envelopes Vault documents: KV v1 {@code {"data": {...fields}}}
 * (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v1#read-secret) and KV v2
 * {@code {"data": {"data": {...fields}, "metadata": {"version": N, ...}}}}
 * (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2#read-secret-version).
 *
 * @param fields the secret's fields; every value is text
 * @param version the KV v2 version, or 0 for KV v1
 */
record KvSecret(Map<String, String> fields, long version) {
    private static final ObjectMapper JSON = new ObjectMapper();

    KvSecret {
        fields = Map.copyOf(fields);
    }

    static KvSecret parse(String body, KvLocation where) throws VaultFailure {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw malformed(where, "the answer is not JSON");
        }
        JsonNode data = root == null ? null : root.get("data");
        long version = 0;
        if (where.version() == 2) {
            if (data == null || !data.isObject()) {
                throw malformed(where, "the answer has no \"data\" object; expected KV v2's {\"data\":{\"data\":{...},"
                        + "\"metadata\":{...}}} (is " + where.mount() + "/ really KV v2? set the KV version explicitly)");
            }
            JsonNode v = data.path("metadata").path("version");
            if (!v.canConvertToLong() || v.asLong() < 1) {
                throw malformed(where, "data.metadata.version is missing or not a positive number");
            }
            version = v.asLong();
            data = data.get("data");
            if (data == null || data.isNull()) {
                throw malformed(where, "version " + version + " has no data (deleted or destroyed?); write the"
                        + " plug-in files again with vault kv put");
            }
        }
        if (data == null || !data.isObject()) {
            throw malformed(where, "the secret's data is not a JSON object of fields");
        }
        Map<String, String> fields = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : data.properties()) {
            if (!e.getValue().isTextual()) {
                throw malformed(where, "field \"" + e.getKey() + "\" is a JSON " + e.getValue().getNodeType()
                        .toString().toLowerCase(java.util.Locale.ROOT) + ", not a string of PEM text");
            }
            fields.put(e.getKey(), e.getValue().asText());
        }
        return new KvSecret(fields, version);
    }

    private static VaultFailure malformed(KvLocation where, String problem) {
        return new VaultFailure(VaultFailure.Kind.MALFORMED, "malformed KV data at " + where.apiPath() + ": " + problem);
    }

    /** Never prints field values (one of them is a private key). */
    @Override
    public String toString() {
        return "KvSecret[fields=" + fields.keySet() + ", version=" + version + "]";
    }
}
