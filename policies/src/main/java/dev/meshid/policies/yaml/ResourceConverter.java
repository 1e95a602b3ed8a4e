package dev.meshid.policies.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshid.policies.PolicyLoadException;
import dev.meshid.policies.model.PolicyResource;
import dev.meshid.policies.model.ResourceMeta;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts one parsed Kubernetes object (a JSON tree, from YAML or from the API server) to
 * meshid's records, checking every field. Kinds meshid does not enforce are skipped with a warning,
 * so a policy directory may hold other manifests.
 */
public final class ResourceConverter {
  private static final Logger log = LoggerFactory.getLogger(ResourceConverter.class);

  /** The namespace of a resource that names none, as {@code kubectl apply} would use. */
  public static final String DEFAULT_NAMESPACE = "default";

  private static final Set<String> SECURITY = Set.of("security.istio.io/v1", "security.istio.io/v1beta1");
  private static final Set<String> NETWORKING =
      Set.of("networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3");
  private static final Map<String, Set<String>> VERSIONS = Map.of(
      "PeerAuthentication", SECURITY, "AuthorizationPolicy", SECURITY, "Sidecar", NETWORKING);

  private ResourceConverter() {}

  /**
   * Converts one document.
   *
   * @param doc the object, or null / a null node for an empty YAML document
   * @param origin the file name (or {@code kubernetes}) for messages
   * @param documentNumber the 1-based position in the file, for messages before the name is known
   * @return the resources (none for an empty document or another kind; several for a {@code List})
   * @throws PolicyLoadException naming origin, resource and field
   */
  public static List<PolicyResource> convert(JsonNode doc, String origin, int documentNumber) {
    String where = "document " + documentNumber;
    if (doc == null || doc.isNull() || doc.isMissingNode()) {
      return List.of();
    }
    if (!doc.isObject()) {
      throw new PolicyLoadException(origin, where, null,
          "expected a Kubernetes resource (a mapping with apiVersion and kind), got " + Node.describe(doc));
    }
    Node root = new Node(doc, "");
    String kind;
    try {
      kind = root.field("kind").requiredString();
    } catch (FieldError e) {
      throw new PolicyLoadException(origin, where, e.path, e.getMessage());
    }
    if (kind.equals("List") || kind.endsWith("List") && doc.has("items")) {
      return items(root, origin, documentNumber);
    }
    if (!VERSIONS.containsKey(kind)) {
      log.warn("{}: {}: skipping kind {}: meshid enforces only PeerAuthentication, AuthorizationPolicy, Sidecar",
          origin, where, kind);
      return List.of();
    }
    return List.of(convertPolicy(root, kind, origin, where));
  }

  private static List<PolicyResource> items(Node root, String origin, int documentNumber) {
    String where = "document " + documentNumber;
    List<PolicyResource> out = new ArrayList<>();
    List<Node> items;
    try {
      items = root.field("items").list();
    } catch (FieldError e) {
      throw new PolicyLoadException(origin, where, e.path, e.getMessage());
    }
    for (Node item : items) {
      out.addAll(convert(item.json, origin, documentNumber));
    }
    return out;
  }

  private static PolicyResource convertPolicy(Node root, String kind, String origin, String where) {
    String resource = kind + " (" + where + ")";
    try {
      Node apiVersion = root.field("apiVersion");
      String version = apiVersion.requiredString();
      if (!VERSIONS.get(kind).contains(version)) {
        throw apiVersion.error("unsupported '" + version + "' for " + kind + " (expected one of "
            + String.join(", ", VERSIONS.get(kind).stream().sorted().toList()) + ")");
      }
      ResourceMeta meta = meta(root.field("metadata"), kind, origin);
      resource = kind + " " + meta.namespace() + "/" + meta.name();
      root.object(List.of("apiVersion", "kind", "metadata", "spec", "status"));
      Node spec = root.field("spec");
      return switch (kind) {
        case "PeerAuthentication" -> PeerAuthenticationReader.read(meta, spec);
        case "AuthorizationPolicy" -> AuthorizationPolicyReader.read(meta, spec);
        case "Sidecar" -> SidecarReader.read(meta, spec);
        default -> throw new IllegalStateException(kind);
      };
    } catch (FieldError e) {
      throw new PolicyLoadException(origin, resource, e.path, e.getMessage());
    }
  }

  // Metadata from the API server carries much more (uid, managedFields...); only these are read.
  private static ResourceMeta meta(Node metadata, String kind, String origin) {
    if (metadata.missing()) {
      throw metadata.error("required");
    }
    metadata.entries();
    String name = metadata.field("name").requiredString();
    String namespace = metadata.field("namespace").string();
    Node created = metadata.field("creationTimestamp");
    Instant createdAt = null;
    String ts = created.string();
    if (ts != null) {
      try {
        createdAt = Instant.parse(ts);
      } catch (DateTimeParseException e) {
        throw created.error("expected an RFC 3339 time such as 2024-05-01T12:00:00Z, got '" + ts + "'");
      }
    }
    return new ResourceMeta(kind, namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace,
        name, createdAt, origin);
  }
}
