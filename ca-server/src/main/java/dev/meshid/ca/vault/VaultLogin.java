package dev.meshid.ca.vault;

import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.LookupResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Vault client logged in. A token is checked with {@code lookup-self}; Kubernetes and AppRole log in
 * at {@code auth/<mount>/login}. A token with a TTL is renewed with {@code renew-self} when half its TTL has
 * passed, if it is renewable; otherwise (or when renewal fails) meshid logs in again from its credentials,
 * which re-reads the token or secret file. A token that is neither renewable nor re-readable is logged as
 * expiring. Tokens never reach a log.
 */
final class VaultLogin {
    private static final Logger LOG = LoggerFactory.getLogger(VaultLogin.class);

    private final VaultClient client;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final String source;
    private ScheduledFuture<?> renewal;
    private boolean loggedIn;
    private boolean closed;
    private int renewalFailures;
    private long renewals;

    VaultLogin(VaultClient client, ScheduledExecutorService scheduler, Backoff backoff, String source) {
        this.client = client;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.source = source;
    }

    synchronized boolean loggedIn() {
        return loggedIn;
    }

    /** Forgets the current token (e.g. after a 403), so that the next {@link #ensure} logs in again. */
    synchronized void invalidate() {
        loggedIn = false;
    }

    /** How many times the token was renewed or replaced by a fresh login after the first one. */
    synchronized long renewals() {
        return renewals;
    }

    /** Logs in unless logged in already. */
    synchronized void ensure() throws VaultFailure {
        if (!loggedIn) {
            login();
        }
    }

    private void login() throws VaultFailure {
        VaultCredentials c = client.connection().credentials();
        long ttlSeconds;
        boolean renewable;
        if (c instanceof VaultCredentials.Token t) {
            client.useToken(t.fromEnv() != null ? t.fromEnv() : secretFile(t.file(), "the Vault token file"));
            LookupResponse r = client.lookupSelf("checking the Vault token (lookup-self)");
            ttlSeconds = r.getTTL();
            renewable = r.isRenewable();
        } else {
            AuthResponse r;
            if (c instanceof VaultCredentials.Kubernetes k) {
                r = client.loginKubernetes(k.mount(), k.role(), secretFile(k.jwtFile(), "the service-account token"));
            } else {
                VaultCredentials.AppRole a = (VaultCredentials.AppRole) c;
                String secretId = a.secretIdFromEnv() != null ? a.secretIdFromEnv()
                        : secretFile(a.secretIdFile(), "the AppRole secret ID file");
                r = client.loginAppRole(a.mount(), a.roleId(), secretId);
            }
            String token = r.getAuthClientToken();
            if (token == null || token.isBlank()) {
                throw new VaultFailure(VaultFailure.Kind.MALFORMED, "Vault's login answer for " + c
                        + " has no auth.client_token");
            }
            client.useToken(token);
            ttlSeconds = r.getAuthLeaseDuration();
            renewable = r.isAuthRenewable();
        }
        loggedIn = true;
        LOG.info("{}: logged in to Vault at {} ({}); token TTL {}, {}", source, client.address(), c,
                ttlSeconds <= 0 ? "none (does not expire)" : Duration.ofSeconds(ttlSeconds),
                renewable ? "renewable" : "not renewable");
        schedule(ttlSeconds, renewable);
    }

    private void schedule(long ttlSeconds, boolean renewable) {
        cancel();
        if (ttlSeconds <= 0 || closed) {
            return;
        }
        VaultCredentials c = client.connection().credentials();
        boolean canLogInAgain = !(c instanceof VaultCredentials.Token t && t.fromEnv() != null);
        if (!renewable && !canLogInAgain) {
            LOG.warn("{}: the Vault token from VAULT_TOKEN is not renewable and expires in {}; give meshid a"
                    + " renewable token or use kubernetes/approle auth", source, Duration.ofSeconds(ttlSeconds));
            return;
        }
        long halfMillis = Math.max(1000, ttlSeconds * 500);
        renewal = scheduler.schedule(() -> renew(renewable), halfMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void renew(boolean renewable) {
        if (closed) {
            return;
        }
        try {
            if (renewable) {
                AuthResponse r = client.renewSelf("renewing the Vault token (renew-self)");
                renewalFailures = 0;
                renewals++;
                LOG.info("{}: renewed the Vault token; TTL now {}", source, Duration.ofSeconds(r.getAuthLeaseDuration()));
                schedule(r.getAuthLeaseDuration(), r.isAuthRenewable());
            } else {
                login();
                renewals++;
            }
        } catch (VaultFailure e) {
            renewalFailures++;
            Duration retry = backoff.delay(renewalFailures);
            LOG.warn("{}: {}; trying again in {}", source, e.getMessage(), retry);
            if (e.kind() == VaultFailure.Kind.PERMISSION_DENIED) {
                loggedIn = false;
            }
            renewal = scheduler.schedule(() -> retryRenewal(renewable), retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void retryRenewal(boolean renewable) {
        if (!loggedIn) {
            try {
                login();
                renewals++;
                renewalFailures = 0;
            } catch (VaultFailure e) {
                renewalFailures++;
                LOG.warn("{}: {}", source, e.getMessage());
                renewal = scheduler.schedule(() -> retryRenewal(renewable), backoff.delay(renewalFailures).toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            return;
        }
        renew(renewable);
    }

    private void cancel() {
        if (renewal != null) {
            renewal.cancel(false);
            renewal = null;
        }
    }

    synchronized void close() {
        closed = true;
        cancel();
    }

    private static String secretFile(Path file, String what) throws VaultFailure {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (s.isEmpty()) {
                throw new VaultFailure(VaultFailure.Kind.CREDENTIALS_UNAVAILABLE, what + " " + file + " is empty");
            }
            return s;
        } catch (IOException e) {
            throw new VaultFailure(VaultFailure.Kind.CREDENTIALS_UNAVAILABLE, "cannot read " + what + " " + file
                    + " (" + e.getClass().getSimpleName() + "); check that it is mounted and readable", e);
        }
    }
}
