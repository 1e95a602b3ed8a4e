package dev.meshid.agent;

import dev.meshid.sds.secret.FileSecretSource;
import dev.meshid.sds.secret.SecretListener;
import dev.meshid.sds.secret.SecretNames;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.secret.Subscription;
import dev.meshid.sds.secret.UnknownSecretException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code FILE_MOUNTED_CERTS=true}: serves {@code default} and {@code ROOTCA} from Istio's mounted files
 * ({@code cert-chain.pem}, {@code key.pem}, {@code root-cert.pem} in one directory) instead of asking a CA,
 * by naming them as {@code file-cert:}/{@code file-root:} resources of a {@link FileSecretSource}, which
 * follows their changes.
 */
final class MountedCertsSource implements SecretSource {
    private final FileSecretSource files;
    private final Map<String, String> aliases;

    MountedCertsSource(FileSecretSource files, Path dir) {
        this.files = Objects.requireNonNull(files, "files");
        Path d = dir.toAbsolutePath().normalize();
        this.aliases = Map.of(
                SecretNames.DEFAULT, SecretNames.FILE_CERT_PREFIX + d.resolve("cert-chain.pem") + "~"
                        + d.resolve("key.pem"),
                SecretNames.ROOTCA, SecretNames.FILE_ROOT_PREFIX + d.resolve("root-cert.pem"));
    }

    private String alias(String name) {
        String a = aliases.get(name);
        if (a == null) {
            throw new UnknownSecretException(name, "unknown secret '" + name + "'; served: " + aliases.keySet());
        }
        return a;
    }

    @Override
    public void checkServes(String name) {
        files.checkServes(alias(name));
    }

    /**
     * The mounted value, read on first use even before any SDS client asked for it, so that readiness reflects
     * the files rather than whether Envoy has connected yet. Empty while a file is missing or unreadable.
     */
    @Override
    public Optional<SecretValue> current(String name) {
        if (!aliases.containsKey(name)) {
            return Optional.empty();
        }
        try {
            files.checkServes(alias(name));
        } catch (UnknownSecretException e) {
            return Optional.empty();
        }
        return files.current(alias(name));
    }

    @Override
    public Subscription watch(String name, SecretListener listener) {
        return files.watch(alias(name), (n, v) -> listener.onChange(name, v));
    }

    @Override
    public List<String> advertisedNames() {
        return List.of(SecretNames.DEFAULT, SecretNames.ROOTCA);
    }
}
