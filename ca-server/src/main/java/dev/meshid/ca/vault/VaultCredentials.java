package dev.meshid.ca.vault;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What meshid proves its identity to Vault with. Secrets are read from their file at every login (projected
 * service-account tokens rotate) and never appear in {@code toString}.
 */
sealed interface VaultCredentials {

    /** A Vault token: the value of {@code VAULT_TOKEN}, else the content of {@code file}. */
    record Token(String fromEnv, Path file) implements VaultCredentials {
        @Override
        public String toString() {
            return fromEnv != null ? "token from VAULT_TOKEN" : "token from " + file;
        }
    }

    /** Kubernetes auth: {@code auth/<mount>/login} with {@code role} and the service-account token in {@code jwtFile}. */
    record Kubernetes(String role, Path jwtFile, String mount) implements VaultCredentials {
        public Kubernetes {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(jwtFile, "jwtFile");
            mount = VaultPaths.clean(mount);
        }

        @Override
        public String toString() {
            return "kubernetes auth at auth/" + mount + " as role " + role + " with the token in " + jwtFile;
        }
    }

    /** AppRole auth: {@code auth/<mount>/login} with {@code roleId} and a secret ID from env or {@code secretIdFile}. */
    record AppRole(String roleId, String secretIdFromEnv, Path secretIdFile, String mount) implements VaultCredentials {
        public AppRole {
            Objects.requireNonNull(roleId, "roleId");
            mount = VaultPaths.clean(mount);
            if (secretIdFromEnv == null && secretIdFile == null) {
                throw new IllegalArgumentException("--vault-auth approle needs a secret ID: set"
                        + " --vault-approle-secret-id-file or MESHID_VAULT_APPROLE_SECRET_ID");
            }
        }

        @Override
        public String toString() {
            return "approle auth at auth/" + mount + " as role ID " + roleId + " with the secret ID from "
                    + (secretIdFromEnv != null ? "MESHID_VAULT_APPROLE_SECRET_ID" : secretIdFile.toString());
        }
    }
}
