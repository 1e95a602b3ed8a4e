package dev.meshid.ca.vault;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.KeySourceListener;
import dev.meshid.pki.bundle.KeyCertBundle;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * meshid's signing CA as an intermediate of Vault's PKI engine ("upstream" mode). meshid generates the
 * intermediate's key in this process (it never leaves it), Vault signs the CSR, and the returned chain is
 * checked ({@link IntermediateCheck}) before a bundle is delivered. The trust bundle holds the roots of the
 * answer's {@code ca_chain} and of {@code <mount>/ca_chain}, re-read every refresh so a root added in Vault is
 * published without a restart.
 *
 * <p>Rotation ({@link IntermediateRotation}): with half the intermediate's life left the next one is signed and
 * its roots published with the current signer; with a sixth left signing moves to it; the previous roots stay
 * in the bundle until the previous intermediate has expired. A refused or failed signing keeps the current
 * signer and is retried with backoff; nothing here exits the process, so bad Vault output cannot crash-loop
 * the CA.
 */
public final class VaultPkiKeySource implements KeySource {
    private static final Logger LOG = LoggerFactory.getLogger(VaultPkiKeySource.class);
    private static final Duration MIN_DELAY = Duration.ofSeconds(1);

    private final VaultClient client;
    private final VaultLogin login;
    private final VaultOptions options;
    private final Clock clock;
    private final PkiUpstream upstream;
    private final SourceCore core;
    private Generation current;
    private Generation next;
    private Generation previous;
    private List<X509Certificate> mountRoots = List.of();
    private boolean checkedHealth;

    VaultPkiKeySource(VaultClient client, VaultOptions options, Clock clock, ScheduledExecutorService scheduler) {
        this.client = client;
        this.options = options;
        this.clock = clock;
        Backoff backoff = new Backoff(options.retryMin(), options.retryMax());
        this.upstream = new PkiUpstream(client, options, clock);
        this.core = new SourceCore(name(), clock, scheduler, backoff);
        this.login = new VaultLogin(client, scheduler, backoff, name());
    }

    @Override
    public String name() {
        return "vault-pki:" + client.address() + "/" + upstream.signPath();
    }

    @Override
    public void start(KeySourceListener listener) {
        core.start(listener, this::round);
    }

    /** Readiness and metrics. */
    public VaultSourceStatus status() {
        return core.status();
    }

    private Duration round() throws VaultFailure {
        try {
            if (!checkedHealth) {
                VaultHealth.require(client, "asking Vault's PKI engine to sign meshid's intermediate");
                checkedHealth = true;
            }
            login.ensure();
            mountRoots = upstream.mountRoots();
            Instant now = clock.instant();
            if (current == null) {
                current = upstream.issue();
                LOG.info("{}: Vault signed meshid's intermediate {}", name(), current);
                deliver(current, List.of());
                return nextDelay(now);
            }
            if (previous != null && now.isAfter(previous.cert().getNotAfter().toInstant())) {
                previous = null;
            }
            IntermediateRotation.Phase phase = IntermediateRotation.of(current.cert()).phase(now);
            if (phase != IntermediateRotation.Phase.ACTIVE && next == null) {
                next = upstream.issue();
                LOG.info("{}: prepared the next intermediate {}; publishing its roots", name(), next);
            }
            if (phase == IntermediateRotation.Phase.SWITCH) {
                previous = current;
                current = next;
                next = null;
                LOG.info("{}: signing with the next intermediate {} from now on", name(), current);
            }
            deliver(current, extraRoots());
            return nextDelay(now);
        } catch (VaultFailure f) {
            if (f.kind() == VaultFailure.Kind.PERMISSION_DENIED) {
                login.invalidate();
            }
            throw f;
        }
    }

    /** Roots to publish besides the signer's: the next intermediate's, the previous one's, the mount's. */
    private List<X509Certificate> extraRoots() {
        List<X509Certificate> out = new ArrayList<>(mountRoots);
        if (next != null) {
            out.addAll(next.roots());
        }
        if (previous != null) {
            out.addAll(previous.roots());
        }
        return out;
    }

    private void deliver(Generation g, List<X509Certificate> extra) {
        List<X509Certificate> all = new ArrayList<>(extra);
        all.addAll(mountRoots);
        KeyCertBundle b = g.bundle(all);
        core.offer(Generation.fingerprint(b), b);
    }

    private Duration nextDelay(Instant now) {
        Duration untilPhase = IntermediateRotation.of(current.cert()).untilNextPhase(now);
        Duration d = untilPhase.compareTo(options.refreshInterval()) < 0 ? untilPhase : options.refreshInterval();
        return d.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : d;
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
