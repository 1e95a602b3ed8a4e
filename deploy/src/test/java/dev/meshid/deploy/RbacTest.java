package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.bundle.RootPublisherOptions;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.keysource.KubernetesSecretOptions;
import dev.meshid.ca.keysource.SecretRootStore;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CA's RBAC grants exactly the API calls its code makes. {@link #CALLS} is the table: every call, with
 * the class that makes it and a piece of that class's source, so the table cannot silently drift from the
 * code (a cited call that disappears fails {@link #everyCitedCall_isStillInItsSource}); a manifest that drops
 * a needed verb fails {@link #everyCallTheCodeMakes_isAllowed}; a manifest that grants more fails
 * {@link #noRule_grantsMoreThanTheCodeCalls}.
 */
class RbacTest {
    private static final String NS = CaConfig.defaults().namespace();
    private static final String ROOT_CM = RootConfigMapsName.name();
    private static final String CACERTS = KubernetesSecretOptions.DEFAULT_NAME;
    private static final String CA_SECRET = SecretRootStore.ISTIO_CA_SECRET;
    private static final String LEASE = RootPublisherOptions.DEFAULT_LEASE_NAME;
    private static final String CA = "ca-server";
    private static final String P = "dev/meshid/ca/";

    /** One call: the request it makes, and where (module, source file, a fragment of the calling code). */
    record Call(Rbac.Request request, String file, String fragment) {
        @Override
        public String toString() {
            Rbac.Request r = request;
            return r.verb() + " " + (r.apiGroup().isEmpty() ? "" : r.apiGroup() + "/") + r.resource()
                    + (r.name() == null ? "" : "/" + r.name()) + (r.namespace() == null ? "" : " in " + r.namespace())
                    + " <- " + file.substring(file.lastIndexOf('/') + 1);
        }
    }

    private static Call cluster(String group, String resource, String verb, String name, String file, String fragment) {
        return new Call(new Rbac.Request(null, group, resource, verb, name), P + file, fragment);
    }

    private static Call local(String group, String resource, String verb, String name, String file, String fragment) {
        return new Call(new Rbac.Request(NS, group, resource, verb, name), P + file, fragment);
    }

    /** Every Kubernetes API call of the CA. A null name means the call cannot be limited to one object. */
    static final List<Call> CALLS = List.of(
            cluster("authentication.k8s.io", "tokenreviews", "create", null,
                    "authn/TokenReviewAuthenticator.java", "tokenReviews().create("),
            // RootPublisher's namespace informer lists and watches all namespaces; its resync lists them too.
            cluster("", "namespaces", "list", null, "bundle/RootPublisher.java", "client.namespaces().runnableInformer("),
            cluster("", "namespaces", "watch", null, "bundle/RootPublisher.java", "client.namespaces().runnableInformer("),
            cluster("", "namespaces", "list", null, "bundle/RootPublisher.java", "client.namespaces().list()"),
            cluster("", "namespaces", "get", null, "bundle/RootPublisher.java", "client.namespaces().withName(namespace).get()"),
            // The ConfigMap informer and resync select metadata.name, so list and watch are per name.
            cluster("", "configmaps", "list", ROOT_CM, "bundle/RootPublisher.java",
                    ".withField(\"metadata.name\", RootConfigMaps.NAME)"),
            cluster("", "configmaps", "watch", ROOT_CM, "bundle/RootPublisher.java",
                    ".withField(\"metadata.name\", RootConfigMaps.NAME)\n .runnableInformer("),
            cluster("", "configmaps", "get", ROOT_CM, "bundle/RootConfigMaps.java", ".withName(NAME).get()"),
            cluster("", "configmaps", "create", null, "bundle/RootConfigMaps.java", ".resource(fresh(namespace, pem)).create()"),
            cluster("", "configmaps", "update", ROOT_CM, "bundle/RootConfigMaps.java", ".resource(repaired).update()"),
            cluster("", "pods", "get", null, "authn/KubernetesPodDirectory.java", "client.pods().inNamespace(namespace).withName(name).get()"),
            cluster("", "pods", "list", null, "authn/KubernetesPodDirectory.java", ".withField(\"spec.nodeName\", node).list()"),
            local("", "secrets", "list", CACERTS, "keysource/KubernetesSecretKeySource.java",
                    ".withName(options.name())\n .runnableInformer("),
            local("", "secrets", "watch", CACERTS, "keysource/KubernetesSecretKeySource.java",
                    ".withName(options.name())\n .runnableInformer("),
            local("", "secrets", "get", CACERTS, "keysource/KubernetesSecretKeySource.java", ".withName(options.name()).get()"),
            local("", "secrets", "get", CA_SECRET, "keysource/SecretRootStore.java", ".withName(name).get()"),
            local("", "secrets", "create", null, "keysource/SecretRootStore.java", ".resource(secret).create()"),
            local("", "secrets", "update", CA_SECRET, "keysource/SecretRootStore.java", ".resource(updated).update()"),
            // fabric8's LeaseLock: get, create, and renew/release with a JSON merge patch (LeaseLockVerbsTest).
            local("coordination.k8s.io", "leases", "get", LEASE, "bundle/RootPublisher.java", "new LeaseLock("),
            local("coordination.k8s.io", "leases", "create", null, "bundle/RootPublisher.java", "new LeaseLock("),
            local("coordination.k8s.io", "leases", "patch", LEASE, "bundle/RootPublisher.java", "new LeaseLock("));

    private final Rbac rbac = new Rbac(Manifests.objectsUnder(Manifests.CA), NS, serviceAccount());

    private static String serviceAccount() {
        return Manifests.one(Manifests.CA, Deployment.class, "meshid-ca").getSpec().getTemplate().getSpec()
                .getServiceAccountName();
    }

    static List<Call> calls() {
        return CALLS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void everyCallTheCodeMakes_isAllowed(Call call) {
        assertThat(rbac.allows(call.request())).as(call + " is allowed for the meshid-ca service account").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void everyCitedCall_isStillInItsSource(Call call) {
        String code = Manifests.source(CA, call.file()).replaceAll("\\s+", " ");
        assertThat(code).as(call.file()).contains(call.fragment().replaceAll("\\s+", " "));
    }

    @Test
    void noRule_grantsMoreThanTheCodeCalls() {
        List<PolicyRule> clusterRules = rbac.rulesFor(null);
        List<PolicyRule> localRules = new ArrayList<>(rbac.rulesFor(NS));
        localRules.removeAll(clusterRules);
        assertThat(clusterRules).isNotEmpty();
        assertThat(localRules).isNotEmpty();
        assertThat(excess(clusterRules, null)).as("cluster-wide grants no call needs").isEmpty();
        assertThat(excess(localRules, NS)).as("grants in " + NS + " no call needs").isEmpty();
    }

    /** Every (group, resource, verb[, name]) a rule grants that no call of the same scope needs. */
    private static List<String> excess(List<PolicyRule> rules, String namespace) {
        List<String> extra = new ArrayList<>();
        for (PolicyRule r : rules) {
            List<String> names = r.getResourceNames() == null || r.getResourceNames().isEmpty()
                    ? java.util.Collections.singletonList(null) : r.getResourceNames();
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String verb : r.getVerbs()) {
                        for (String name : names) {
                            boolean needed = CALLS.stream().map(Call::request).anyMatch(q ->
                                    java.util.Objects.equals(q.namespace(), namespace) && q.apiGroup().equals(g)
                                            && q.resource().equals(res) && q.verb().equals(verb)
                                            && java.util.Objects.equals(q.name(), name));
                            if (!needed) {
                                extra.add(verb + " " + g + "/" + res + (name == null ? " (any name)" : "/" + name));
                            }
                        }
                    }
                }
            }
        }
        return extra;
    }

    @Test
    void noRule_usesWildcards() {
        for (PolicyRule r : rbac.rulesFor(NS)) {
            assertThat(r.getApiGroups()).doesNotContain("*");
            assertThat(r.getResources()).doesNotContain("*");
            assertThat(r.getVerbs()).doesNotContain("*");
        }
    }

    @Test
    void createCalls_areGrantedByRulesWithoutResourceNames_becauseKubernetesCannotLimitThem() {
        for (Call c : CALLS) {
            if (c.request().verb().equals("create")) {
                assertThat(c.request().name()).as(c + ": a create has no name to limit by").isNull();
            }
        }
    }

    /**
     * A guard against new calls the table does not know: every fabric8 resource the CA's sources reach through
     * the client's DSL must be a resource of the table.
     */
    @Test
    void everyResourceTheCaSourcesTouch_isInTheTable() throws IOException {
        Map<String, String> dsl = Map.ofEntries(Map.entry("secrets", "secrets"), Map.entry("configMaps", "configmaps"),
                Map.entry("namespaces", "namespaces"), Map.entry("pods", "pods"), Map.entry("tokenReviews", "tokenreviews"),
                Map.entry("leases", "leases"), Map.entry("services", "services"), Map.entry("endpoints", "endpoints"),
                Map.entry("events", "events"), Map.entry("nodes", "nodes"), Map.entry("serviceAccounts", "serviceaccounts"),
                Map.entry("subjectAccessReviews", "subjectaccessreviews"),
                Map.entry("certificateSigningRequests", "certificatesigningrequests"),
                Map.entry("leaderElector", "leases"), Map.entry("LeaseLock", "leases"),
                Map.entry("ConfigMapLock", "configmaps"), Map.entry("genericKubernetesResources", "*"),
                Map.entry("resources", "*"), Map.entry("resource", "*"));
        Pattern call = Pattern.compile("(?:\\b(?:client|kube|kubernetes|k8s)\\(?\\)?\\.|\\.v1\\(\\)\\.|new )("
                + String.join("|", dsl.keySet()) + ")\\(");
        Set<String> touched = new TreeSet<>();
        Path root = Manifests.REPO.resolve(CA).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(f));
                while (m.find()) {
                    touched.add(dsl.get(m.group(1)) + " (" + root.relativize(f) + ")");
                }
            }
        }
        Set<String> known = new TreeSet<>();
        CALLS.forEach(c -> known.add(c.request().resource()));
        assertThat(touched).as("resources the CA calls").isNotEmpty();
        assertThat(touched).allSatisfy(t -> assertThat(known).as("table resources, for " + t)
                .contains(t.substring(0, t.indexOf(' '))));
    }
}
