package dev.meshid.ca.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The endpoints of {@link VaultTestDouble} (see its javadoc for the Vault documentation each follows). */
final class VaultDoubleRoutes {
    record Answer(int status, String contentType, String body) {
        static Answer json(int status, JsonNode body) {
            return new Answer(status, "application/json", body.toString());
        }

        static Answer errors(int status, String... errors) {
            ObjectNode o = VaultTestDouble.object();
            ArrayNode a = o.putArray("errors");
            for (String e : errors) {
                a.add(e);
            }
            return json(status, o);
        }
    }

    private static final Answer DENIED = Answer.errors(403, "permission denied");
    private static final Answer NOT_FOUND = Answer.errors(404);

    private final VaultTestDouble v;

    VaultDoubleRoutes(VaultTestDouble v) {
        this.v = v;
    }

    Answer route(VaultTestDouble.Request r, String query) {
        String p = r.path().startsWith("/v1/") ? r.path().substring(4) : null;
        if (p == null) {
            return NOT_FOUND;
        }
        if (p.equals("sys/health")) {
            return health(query);
        }
        if (v.health == VaultTestDouble.Health.SEALED || v.health == VaultTestDouble.Health.UNINITIALIZED) {
            return Answer.errors(503, "Vault is sealed");
        }
        if (v.namespace != null && !v.namespace.equals(r.namespace())) {
            return DENIED;
        }
        JsonNode body;
        try {
            body = r.body().isBlank() ? VaultTestDouble.object() : VaultTestDouble.JSON.readTree(r.body());
        } catch (IOException e) {
            return Answer.errors(400, "failed to parse JSON input: " + e.getMessage());
        }
        if (r.method().equals("POST") && p.startsWith("auth/") && p.endsWith("/login")) {
            return login(p, body);
        }
        if (r.method().equals("GET") && p.matches("[^/]+(/[^/]+)*/ca_chain") && v.pkiMounts.containsKey(
                p.substring(0, p.length() - "/ca_chain".length()))) {
            return caChain(p.substring(0, p.length() - "/ca_chain".length()));
        }
        VaultTestDouble.Token token = token(r.token());
        if (token == null) {
            return DENIED;
        }
        if (p.equals("auth/token/lookup-self") && r.method().equals("GET")) {
            return lookupSelf(token);
        }
        if (p.equals("auth/token/renew-self") && (r.method().equals("POST") || r.method().equals("PUT"))) {
            return renewSelf(token);
        }
        if (p.startsWith("sys/internal/ui/mounts/") && r.method().equals("GET")) {
            return mountInfo(token, p.substring("sys/internal/ui/mounts/".length()));
        }
        if (!allowed(token, p)) {
            return DENIED;
        }
        if (r.method().equals("POST") && p.endsWith("/sign-intermediate")) {
            return signIntermediate(p, body);
        }
        if (r.method().equals("GET")) {
            return kvRead(p);
        }
        return Answer.errors(405, "unsupported operation");
    }

    private Answer health(String query) {
        VaultTestDouble.Health h = v.health;
        int code = h.code;
        if (h == VaultTestDouble.Health.STANDBY && query.contains("standbyok=true")) {
            code = 200;
        }
        if (h == VaultTestDouble.Health.PERF_STANDBY && query.contains("perfstandbyok=true")) {
            code = 200;
        }
        ObjectNode o = VaultTestDouble.object();
        o.put("initialized", h != VaultTestDouble.Health.UNINITIALIZED);
        o.put("sealed", h == VaultTestDouble.Health.SEALED || h == VaultTestDouble.Health.UNINITIALIZED);
        o.put("standby", h == VaultTestDouble.Health.STANDBY || h == VaultTestDouble.Health.PERF_STANDBY);
        o.put("performance_standby", h == VaultTestDouble.Health.PERF_STANDBY);
        o.put("replication_performance_mode", "disabled");
        o.put("replication_dr_mode", h == VaultTestDouble.Health.DR_SECONDARY ? "secondary" : "disabled");
        o.put("server_time_utc", v.clock.instant().getEpochSecond());
        o.put("version", "1.17.0 (test double)");
        return Answer.json(code, o);
    }

    private VaultTestDouble.Token token(String id) {
        VaultTestDouble.Token t = id == null ? null : v.tokens.get(id);
        if (t == null || !java.util.Objects.equals(t.ns(), v.namespace)) {
            return null;
        }
        if (!t.ttl().isZero() && v.clock.millis() >= t.issuedAtMillis() + t.ttl().toMillis()) {
            return null;
        }
        return t;
    }

    private static boolean allowed(VaultTestDouble.Token t, String path) {
        return t.policies().stream().anyMatch(pattern -> pattern.endsWith("*")
                ? path.startsWith(pattern.substring(0, pattern.length() - 1)) : path.equals(pattern));
    }

    private long ttlLeft(VaultTestDouble.Token t) {
        if (t.ttl().isZero()) {
            return 0;
        }
        return Math.max(0, (t.issuedAtMillis() + t.ttl().toMillis() - v.clock.millis()) / 1000);
    }

    private Answer lookupSelf(VaultTestDouble.Token t) {
        ObjectNode d = VaultTestDouble.object();
        d.put("accessor", "accessor-" + t.id().hashCode());
        d.put("creation_time", t.issuedAtMillis() / 1000);
        d.put("creation_ttl", t.ttl().toSeconds());
        d.put("display_name", "token");
        d.put("entity_id", "");
        d.put("explicit_max_ttl", 0);
        d.put("id", t.id());
        d.putNull("meta");
        d.put("num_uses", 0);
        d.put("orphan", true);
        d.put("path", "auth/token/create");
        ArrayNode pol = d.putArray("policies");
        pol.add("meshid");
        d.put("renewable", t.renewable());
        d.put("ttl", ttlLeft(t));
        d.put("type", "service");
        return Answer.json(200, envelope(d, null));
    }

    private Answer renewSelf(VaultTestDouble.Token t) {
        if (!t.renewable()) {
            return Answer.errors(400, "lease is not renewable");
        }
        VaultTestDouble.Token renewed = new VaultTestDouble.Token(t.id(), t.policies(), t.ttl(), true, v.clock.millis(),
                t.ns());
        v.tokens.put(t.id(), renewed);
        return Answer.json(200, envelope(null, auth(renewed, null)));
    }

    private Answer login(String p, JsonNode body) {
        String mount = p.substring("auth/".length(), p.length() - "/login".length());
        Map<String, VaultTestDouble.Login> roles;
        String name;
        String secret;
        if (mount.equals("kubernetes")) {
            name = body.path("role").asText("");
            secret = body.path("jwt").asText("");
            if (name.isEmpty()) {
                return Answer.errors(400, "missing role");
            }
            if (secret.isEmpty()) {
                return Answer.errors(400, "missing jwt");
            }
            roles = v.kubernetesRoles;
        } else if (mount.equals("approle")) {
            name = body.path("role_id").asText("");
            secret = body.path("secret_id").asText("");
            if (name.isEmpty()) {
                return Answer.errors(400, "missing role_id");
            }
            roles = v.appRoles;
        } else {
            return Answer.errors(404, "no handler for route \"" + p + "\". route entry not found.");
        }
        VaultTestDouble.Login login = roles.get(name);
        if (login == null) {
            return Answer.errors(400, mount.equals("approle") ? "invalid role ID" : "invalid role name \"" + name + "\"");
        }
        if (!login.secret().equals(secret)) {
            return mount.equals("approle") ? Answer.errors(400, "invalid secret id") : DENIED;
        }
        String id = v.addToken(login.ttl(), true, login.policies().toArray(String[]::new));
        ObjectNode meta = VaultTestDouble.object();
        meta.put("role", mount.equals("kubernetes") ? name : "meshid");
        return Answer.json(200, envelope(null, auth(v.tokens.get(id), meta)));
    }

    private static ObjectNode auth(VaultTestDouble.Token t, ObjectNode metadata) {
        ObjectNode a = VaultTestDouble.object();
        a.put("client_token", t.id());
        a.put("accessor", "accessor-" + t.id().hashCode());
        a.putArray("policies").add("default").add("meshid");
        a.putArray("token_policies").add("default").add("meshid");
        a.set("metadata", metadata);
        a.put("lease_duration", t.ttl().toSeconds());
        a.put("renewable", t.renewable());
        a.put("entity_id", "");
        a.put("token_type", "service");
        a.put("orphan", true);
        return a;
    }

    private static ObjectNode envelope(JsonNode data, JsonNode auth) {
        ObjectNode o = VaultTestDouble.object();
        o.put("request_id", UUID.randomUUID().toString());
        o.put("lease_id", "");
        o.put("renewable", false);
        o.put("lease_duration", 0);
        o.set("data", data);
        o.putNull("wrap_info");
        o.putNull("warnings");
        o.set("auth", auth);
        return o;
    }

    private String mountOf(String path) {
        String best = null;
        for (String m : concat(v.kvMounts.keySet(), v.pkiMounts.keySet())) {
            if ((path + "/").startsWith(m + "/") && (best == null || m.length() > best.length())) {
                best = m;
            }
        }
        return best;
    }

    private static List<String> concat(java.util.Set<String> a, java.util.Set<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private Answer mountInfo(VaultTestDouble.Token t, String path) {
        String mount = mountOf(path);
        if (mount == null || t.policies().stream().noneMatch(pat -> pat.startsWith(mount + "/"))) {
            return Answer.errors(403, "preflight capability check returned 403, please ensure client's policies"
                    + " grant access to path \"" + path + "/\"");
        }
        ObjectNode d = VaultTestDouble.object();
        boolean kv = v.kvMounts.containsKey(mount);
        d.put("accessor", (kv ? "kv_" : "pki_") + Integer.toHexString(mount.hashCode()));
        d.put("description", kv ? "key/value secret storage" : "");
        d.set("options", kv ? VaultTestDouble.object().put("version", String.valueOf(v.kvMounts.get(mount)))
                : VaultTestDouble.JSON.nullNode());
        d.put("path", mount + "/");
        d.put("type", kv ? "kv" : "pki");
        return Answer.json(200, envelope(d, null));
    }

    private Answer kvRead(String p) {
        String mount = mountOf(p);
        if (mount == null || !v.kvMounts.containsKey(mount)) {
            return Answer.errors(404, "no handler for route \"" + p + "\". route entry not found.");
        }
        String rest = p.substring(mount.length() + 1);
        if (v.kvMounts.get(mount) == 2) {
            if (!rest.startsWith("data/")) {
                return NOT_FOUND;
            }
            List<JsonNode> versions = v.kvData.get(mount + "/" + rest.substring("data/".length()));
            if (versions == null || versions.isEmpty()) {
                return NOT_FOUND;
            }
            ObjectNode meta = VaultTestDouble.object();
            meta.put("created_time", Instant.ofEpochMilli(v.clock.millis()).toString());
            meta.putNull("custom_metadata");
            meta.put("deletion_time", "");
            meta.put("destroyed", false);
            meta.put("version", versions.size());
            ObjectNode d = VaultTestDouble.object();
            d.set("data", versions.get(versions.size() - 1));
            d.set("metadata", meta);
            return Answer.json(200, envelope(d, null));
        }
        List<JsonNode> versions = v.kvData.get(p);
        if (versions == null || versions.isEmpty()) {
            return NOT_FOUND;
        }
        ObjectNode o = envelope(versions.get(versions.size() - 1), null);
        o.put("lease_duration", 2764800);
        return Answer.json(200, o);
    }

    private Answer caChain(String mount) {
        VaultTestDouble.PkiMount m = v.pkiMounts.get(mount);
        TestPki.Issued def = m.issuers().get(m.defaultIssuer());
        return new Answer(200, "application/pem-certificate-chain", Pem.write(def.fullChain()));
    }

    private Answer signIntermediate(String p, JsonNode body) {
        String mount = mountOf(p);
        VaultTestDouble.PkiMount m = mount == null ? null : v.pkiMounts.get(mount);
        String op = mount == null ? p : p.substring(mount.length() + 1);
        if (m == null || !(op.equals("root/sign-intermediate") || op.matches("issuer/[^/]+/sign-intermediate"))) {
            return Answer.errors(404, "no handler for route \"" + p + "\". route entry not found.");
        }
        String ref = op.startsWith("issuer/") ? op.split("/")[1] : "default";
        String name = ref.equals("default") ? m.defaultIssuer() : ref;
        TestPki.Issued issuer = m.issuers().get(name);
        if (issuer == null) {
            return Answer.errors(400, "unable to find PKI issuer for reference: " + ref);
        }
        X509Certificate cert;
        try {
            cert = v.pki.sign(issuer, body.path("csr").asText(null), body.path("common_name").asText(null),
                    body.path("ttl").asText(null), body.path("use_csr_values").asBoolean(false), v.signMode);
        } catch (VaultDoublePki.BadRequest e) {
            return Answer.errors(400, e.getMessage());
        }
        v.lastSigned = cert;
        v.lastSignedMode = v.signMode;
        List<X509Certificate> chain = issuer.fullChain();
        ObjectNode d = VaultTestDouble.object();
        d.put("expiration", cert.getNotAfter().toInstant().getEpochSecond());
        d.put("certificate", Pem.write(cert));
        d.put("issuing_ca", Pem.write(chain.get(0)));
        ArrayNode ca = d.putArray("ca_chain");
        chain.forEach(c -> ca.add(Pem.write(c)));
        d.put("serial_number", HexFormat.ofDelimiter(":").formatHex(cert.getSerialNumber().toByteArray()));
        return Answer.json(200, envelope(d, null));
    }

}
