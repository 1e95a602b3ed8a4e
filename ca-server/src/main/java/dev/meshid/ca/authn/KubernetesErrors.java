package dev.meshid.ca.authn;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Turns an API server error into a log line that says what to fix. */
final class KubernetesErrors {
    private KubernetesErrors() {
    }

    static String explain(String action, KubernetesClientException e) {
        int code = e.getCode();
        String detail = LogText.clean(String.valueOf(e.getMessage()));
        return switch (code) {
            case 401 -> action + " failed: the API server did not accept the CA's own credentials (HTTP 401); "
                    + "check the CA's service-account token or kubeconfig";
            case 403 -> action + " failed: the CA is not allowed to (HTTP 403); grant its service account the "
                    + "needed RBAC (for TokenReview: ClusterRole system:auth-delegator; for pods: get and list)";
            case 0 -> action + " failed: the API server could not be reached (" + detail + ")";
            default -> action + " failed with HTTP " + code + " (" + detail + ")";
        };
    }
}
