package dev.meshid.ca.vault;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.KeySourceListener;
import dev.meshid.pki.PkiException;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.PluginForm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Istio's plug-in CA files held as fields of one Vault KV secret (v2, or v1), read through the Vault Java
 * driver every {@link VaultOptions#refreshInterval}. Each read that brings a new KV v2 {@code metadata.version}
 * (or, for KV v1, new content) is verified as a whole by {@link KeyCertBundle#fromPem}; valid material is
 * delivered, invalid material refused through {@code onRejected} with the verifier's reason and the current
 * bundle kept. A new version with content already delivered is not delivered again.
 *
 * <p>Faults: while Vault is unreachable, sealed or failing, the source keeps the bundle it has (or stays
 * not ready) and retries with backoff; a 403, 404 or malformed answer is reported once through
 * {@code onRejected} with its own message. {@link #status()} feeds readiness and metrics.
 */
public final class VaultKvKeySource implements KeySource {
    private final VaultClient client;
    private final VaultLogin login;
    private final VaultOptions options;
    private final Clock clock;
    private final SourceCore core;
    private KvLocation location;
    private long seenVersion;
    private String lastFingerprint;

    VaultKvKeySource(VaultClient client, VaultOptions options, Clock clock, ScheduledExecutorService scheduler) {
        this.client = client;
        this.options = options;
        this.clock = clock;
        Backoff backoff = new Backoff(options.retryMin(), options.retryMax());
        this.core = new SourceCore(name(), clock, scheduler, backoff);
        this.login = new VaultLogin(client, scheduler, backoff, name());
    }

    @Override
    public String name() {
        return "vault-kv:" + client.address() + "/" + VaultPaths.clean(options.kvPath());
    }

    @Override
    public void start(KeySourceListener listener) {
        core.start(listener, this::poll);
    }

    /** Readiness and metrics. */
    public VaultSourceStatus status() {
        return core.status();
    }

    /** Times the Vault token was renewed or replaced since the first login. */
    public long tokenRenewals() {
        return login.renewals();
    }

    private Duration poll() throws VaultFailure {
        try {
            if (location == null) {
                VaultHealth.require(client, "reading the KV secret " + options.kvPath());
            }
            login.ensure();
            if (location == null) {
                location = KvLocation.locate(client, options.kvPath(), options.kvVersion());
                if (location.version() == 2) {
                    client.registerKv2(location.kvPath(), location.mountDepth());
                }
            }
            String body = client.read(location.kvPath(), location.apiPath(),
                    "reading the KV secret " + location.kvPath());
            KvSecret secret = KvSecret.parse(body, location);
            if (secret.version() != 0 && secret.version() == seenVersion) {
                return options.refreshInterval();
            }
            seenVersion = secret.version();
            apply(secret);
            return options.refreshInterval();
        } catch (VaultFailure f) {
            if (f.kind() == VaultFailure.Kind.PERMISSION_DENIED) {
                login.invalidate();
            }
            throw f;
        }
    }

    private void apply(KvSecret secret) {
        Map<String, String> files = new TreeMap<>();
        for (String file : PluginForm.allFileNames()) {
            String value = secret.fields().get(options.fieldFor(file));
            if (value != null && !value.isBlank()) {
                files.put(file, value);
            }
        }
        String fingerprint = fingerprint(files);
        if (fingerprint.equals(lastFingerprint)) {
            return;
        }
        lastFingerprint = fingerprint;
        String where = location.kvPath() + (secret.version() == 0 ? "" : " (KV v2 version " + secret.version() + ")");
        try {
            KeyCertBundle bundle = KeyCertBundle.fromPem(files, clock);
            core.offer(fingerprint, bundle);
        } catch (PkiException | RuntimeException e) {
            core.reportOnce(where + ": " + e.getMessage() + fieldHint());
        }
    }

    private String fieldHint() {
        return options.kvFields().isEmpty() ? "" : " (fields mapped as " + options.kvFields() + ")";
    }

    /** SHA-256 over names and contents; reveals nothing about the key. */
    private static String fingerprint(Map<String, String> files) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            files.forEach((k, v) -> {
                d.update(k.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(v.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            });
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public void close() {
        core.close();
        login.close();
    }

    @Override
    public String toString() {
        return name();
    }
}
