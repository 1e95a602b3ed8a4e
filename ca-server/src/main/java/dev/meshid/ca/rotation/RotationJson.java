package dev.meshid.ca.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshid.ca.bundle.AgentView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link RotationReport} as the JSON of {@code /debug/rotation}, both ways (the CA writes, the CLI reads). */
public final class RotationJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RotationJson() {
    }

    public static String write(RotationReport report) {
        RotationState s = report.state();
        ObjectNode root = JSON.createObjectNode();
        root.put("at", s.at().toString());
        root.put("step", s.step().label());
        s.safeToRemoveAt().ifPresent(t -> root.put("safeToRemoveOldRootsAt", t.toString()));
        ArrayNode roots = root.putArray("roots");
        for (RootStatus r : s.roots()) {
            roots.addObject().put("fingerprint", r.fingerprint()).put("subject", r.subject())
                    .put("notBefore", r.notBefore().toString()).put("notAfter", r.notAfter().toString())
                    .put("signing", r.signing()).put("noLeafDependsAfter", r.noLeafDependsAfter().toString());
        }
        ObjectNode signer = root.putObject("signer").put("subject", s.signer().subject())
                .put("notAfter", s.signer().notAfter().toString()).put("rootFingerprint", s.signer().rootFingerprint());
        ArrayNode chain = signer.putArray("chainFingerprints");
        s.signer().chainFingerprints().forEach(chain::add);
        ObjectNode bundle = root.putObject("bundle").put("agentsConnected", report.agentsConnected())
                .put("agentsAcked", report.agentsAcked());
        report.bundleVersion().ifPresent(v -> bundle.put("version", v));
        ArrayNode agents = root.putArray("agents");
        for (AgentView a : report.agents()) {
            ObjectNode n = agents.addObject().put("stream", a.stream()).put("identity", a.identity())
                    .put("peer", a.peer()).put("ackedCurrent", a.ackedCurrent());
            a.ackedVersion().ifPresent(v -> n.put("ackedVersion", v));
            ArrayNode ackedRoots = n.putArray("ackedRoots");
            a.ackedRoots().stream().sorted().forEach(ackedRoots::add);
            a.lastError().ifPresent(e -> n.put("error", e));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the rotation report", e);
        }
    }

    /** @throws IllegalArgumentException when the text is not such a report */
    public static RotationReport read(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        try {
            List<RootStatus> roots = new ArrayList<>();
            for (JsonNode r : root.required("roots")) {
                roots.add(new RootStatus(r.required("fingerprint").asText(), r.required("subject").asText(),
                        time(r, "notBefore"), time(r, "notAfter"), r.required("signing").asBoolean(),
                        time(r, "noLeafDependsAfter")));
            }
            JsonNode sn = root.required("signer");
            List<String> chain = new ArrayList<>();
            sn.required("chainFingerprints").forEach(c -> chain.add(c.asText()));
            SignerStatus signer = new SignerStatus(sn.required("subject").asText(), chain, time(sn, "notAfter"),
                    sn.required("rootFingerprint").asText());
            RotationState state = new RotationState(time(root, "at"), roots, signer,
                    RotationStep.ofLabel(root.required("step").asText()),
                    root.has("safeToRemoveOldRootsAt") ? Optional.of(time(root, "safeToRemoveOldRootsAt"))
                            : Optional.empty());
            JsonNode b = root.required("bundle");
            List<AgentView> agents = new ArrayList<>();
            for (JsonNode a : root.required("agents")) {
                Set<String> acked = new HashSet<>();
                a.required("ackedRoots").forEach(x -> acked.add(x.asText()));
                agents.add(new AgentView(a.required("stream").asLong(), a.required("identity").asText(),
                        a.required("peer").asText(), text(a, "ackedVersion"), acked,
                        a.required("ackedCurrent").asBoolean(), text(a, "error")));
            }
            return new RotationReport(state, text(b, "version"), b.required("agentsConnected").asInt(),
                    b.required("agentsAcked").asInt(), agents);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a meshid rotation report: " + e.getMessage(), e);
        }
    }

    private static Instant time(JsonNode n, String field) {
        return Instant.parse(n.required(field).asText());
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.has(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }
}
