package dev.meshid.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in Kubernetes API server on loopback that answers just enough for single calls and records each
 * request as the RBAC request the real API server would authorize (verb, group, resource, namespace, name).
 * Objects exist unless marked absent; writes are echoed back and kept for later reads.
 */
final class RecordingApiServer implements AutoCloseable {
    private static final Map<String, String> KINDS = Map.of("secrets", "Secret", "configmaps", "ConfigMap",
            "pods", "Pod", "leases", "Lease", "namespaces", "Namespace");

    private final HttpServer server;
    private final List<Rbac.Request> requests = new CopyOnWriteArrayList<>();
    private final Set<String> absent = ConcurrentHashMap.newKeySet();
    private final Map<String, ObjectNode> stored = new ConcurrentHashMap<>();

    RecordingApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).withNamespace("default")
                .withRequestRetryBackoffLimit(0).build()).build();
    }

    /** Makes GETs of this object answer 404 until it is created. */
    void absent(String namespace, String resource, String name) {
        absent.add(namespace + "/" + resource + "/" + name);
    }

    List<Rbac.Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] seg = ex.getRequestURI().getPath().replaceFirst("^/", "").split("/");
            // /api/v1/... or /apis/GROUP/VERSION/...
            int i = seg[0].equals("api") ? 2 : 3;
            String group = seg[0].equals("api") ? "" : seg[1];
            String version = seg[0].equals("api") ? "v1" : seg[2];
            String ns = null;
            if (seg.length > i + 1 && seg[i].equals("namespaces") && seg.length > i + 2) {
                ns = seg[i + 1];
                i += 2;
            }
            String resource = seg[i];
            String name = seg.length > i + 1 ? seg[i + 1] : null;
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String method = ex.getRequestMethod();
            String verb = switch (method) {
                case "GET" -> name != null ? "get" : "true".equals(query.get("watch")) ? "watch" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> method;
            };
            String selected = name;
            String fields = query.getOrDefault("fieldSelector", "");
            if (name == null && fields.startsWith("metadata.name=")) {
                selected = fields.substring("metadata.name=".length());
            }
            requests.add(new Rbac.Request(ns, group, resource, verb, selected));
            byte[] body = ex.getRequestBody().readAllBytes();
            String kind = KINDS.getOrDefault(resource, "Unknown");
            String apiVersion = group.isEmpty() ? version : group + "/" + version;
            String key = ns + "/" + resource + "/" + name;
            switch (verb) {
                case "get" -> {
                    if (absent.contains(key)) {
                        respond(ex, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404,"
                                + "\"reason\":\"NotFound\"}");
                    } else if (stored.containsKey(key)) {
                        respond(ex, 200, stored.get(key).toString());
                    } else {
                        ObjectNode o = Manifests.JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
                        o.putObject("metadata").put("name", name).put("namespace", ns).put("resourceVersion", "1");
                        respond(ex, 200, o.toString());
                    }
                }
                case "list" -> respond(ex, 200, "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + kind
                        + "List\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}");
                case "create", "update", "patch" -> {
                    ObjectNode o = (ObjectNode) Manifests.JSON.readTree(body);
                    o.put("apiVersion", apiVersion).put("kind", kind);
                    ObjectNode meta = o.has("metadata") ? (ObjectNode) o.get("metadata") : o.putObject("metadata");
                    meta.put("resourceVersion", "2");
                    if (name != null) {
                        meta.put("name", name);
                    }
                    if (meta.has("name")) {
                        String written = ns + "/" + resource + "/" + meta.get("name").asText();
                        absent.remove(written);
                        stored.put(written, o);
                    }
                    respond(ex, verb.equals("create") ? 201 : 200, o.toString());
                }
                default -> respond(ex, 405, "{}");
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new ConcurrentHashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
