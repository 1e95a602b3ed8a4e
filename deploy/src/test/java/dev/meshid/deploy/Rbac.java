package dev.meshid.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes RBAC evaluation for one service account, over the objects of a manifest directory: which rules
 * reach it cluster-wide (ClusterRole via ClusterRoleBinding) and in a namespace (also Role or ClusterRole via
 * RoleBinding), and whether they authorize a request. Follows the API server's rules for resourceNames: a
 * rule with names never authorizes create (the name is unknown at authorization time), and authorizes list
 * and watch only for requests that select one name with a metadata.name field selector.
 */
final class Rbac {
    /** One API request: its scope (null namespace = cluster-wide) and, if it names one object, that name. */
    record Request(String namespace, String apiGroup, String resource, String verb, String name) {
    }

    private final List<HasMetadata> objects;
    private final String saNamespace;
    private final String saName;

    Rbac(List<HasMetadata> objects, String saNamespace, String saName) {
        this.objects = List.copyOf(objects);
        this.saNamespace = saNamespace;
        this.saName = saName;
    }

    /** The rules that apply to a request in {@code namespace} (null: cluster-scoped or all namespaces). */
    List<PolicyRule> rulesFor(String namespace) {
        List<PolicyRule> rules = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRoleBinding b && boundHere(b.getSubjects())) {
                clusterRole(b.getRoleRef()).ifPresent(r -> rules.addAll(r.getRules()));
            }
            if (namespace != null && o instanceof RoleBinding b && namespace.equals(b.getMetadata().getNamespace())
                    && boundHere(b.getSubjects())) {
                if ("ClusterRole".equals(b.getRoleRef().getKind())) {
                    clusterRole(b.getRoleRef()).ifPresent(r -> rules.addAll(r.getRules()));
                } else {
                    role(namespace, b.getRoleRef()).ifPresent(r -> rules.addAll(r.getRules()));
                }
            }
        }
        return rules;
    }

    boolean allows(Request req) {
        return rulesFor(req.namespace()).stream().anyMatch(r -> matches(r, req));
    }

    static boolean matches(PolicyRule r, Request req) {
        boolean names = r.getResourceNames() != null && !r.getResourceNames().isEmpty();
        if (names && (req.name() == null || !r.getResourceNames().contains(req.name()))) {
            return false;
        }
        if (names && req.verb().equals("create")) {
            return false;
        }
        return has(r.getApiGroups(), req.apiGroup()) && has(r.getResources(), req.resource())
                && has(r.getVerbs(), req.verb());
    }

    private static boolean has(List<String> list, String v) {
        return list != null && (list.contains(v) || list.contains("*"));
    }

    private boolean boundHere(List<Subject> subjects) {
        return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && saName.equals(s.getName()) && saNamespace.equals(s.getNamespace()));
    }

    private Optional<ClusterRole> clusterRole(RoleRef ref) {
        return objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .filter(r -> "ClusterRole".equals(ref.getKind()) && r.getMetadata().getName().equals(ref.getName()))
                .findFirst();
    }

    private Optional<Role> role(String namespace, RoleRef ref) {
        return objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
                .filter(r -> "Role".equals(ref.getKind()) && r.getMetadata().getName().equals(ref.getName())
                        && namespace.equals(r.getMetadata().getNamespace()))
                .findFirst();
    }
}
