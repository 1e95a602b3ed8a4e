package dev.meshid.ca.bundle;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link RootPublisher}; {@link #defaults} uses Kubernetes' usual leader-election timings.
 *
 * @param namespace the CA's namespace, where the lease lives
 * @param leaseName the {@code coordination.k8s.io} Lease the replicas compete for
 * @param identity this replica's name in the lease (pod name, else hostname)
 * @param leaseDuration how long a lease is valid without renewal (15 s)
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading (10 s)
 * @param retryPeriod how often candidates try to acquire and the leader renews; also the retry delay of a
 *     failed ConfigMap write (2 s)
 * @param resyncPeriod how often the leader lists every namespace and repairs what the watches missed (1 min)
 */
public record RootPublisherOptions(String namespace, String leaseName, String identity, Duration leaseDuration,
        Duration renewDeadline, Duration retryPeriod, Duration resyncPeriod) {

    public static final String DEFAULT_LEASE_NAME = "meshid-ca-root-publisher";

    public RootPublisherOptions {
        requireText(namespace, "namespace of the root publisher's lease (the CA's namespace)");
        requireText(leaseName, "lease name of the root publisher");
        requireText(identity, "leader-election identity (pod name or hostname)");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(renewDeadline, "renewDeadline");
        Objects.requireNonNull(retryPeriod, "retryPeriod");
        Objects.requireNonNull(resyncPeriod, "resyncPeriod");
        if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
            throw new IllegalArgumentException("root publisher resync period must be positive, got " + resyncPeriod);
        }
        if (retryPeriod.isNegative() || retryPeriod.isZero()) {
            throw new IllegalArgumentException("leader-election retry period must be positive, got " + retryPeriod);
        }
        if (renewDeadline.compareTo(retryPeriod.multipliedBy(12).dividedBy(10)) <= 0) {
            throw new IllegalArgumentException("leader-election renew deadline " + renewDeadline
                    + " must be longer than 1.2 x the retry period " + retryPeriod);
        }
        if (leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("leader-election lease duration " + leaseDuration
                    + " must be longer than the renew deadline " + renewDeadline);
        }
    }

    /**
     * Lease {@value #DEFAULT_LEASE_NAME} in {@code namespace}, identity from {@link #defaultIdentity()},
     * lease 15 s, renew deadline 10 s, retry 2 s, resync 1 min.
     */
    public static RootPublisherOptions defaults(String namespace) {
        return new RootPublisherOptions(namespace, DEFAULT_LEASE_NAME, defaultIdentity(), Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMinutes(1));
    }

    public RootPublisherOptions withIdentity(String id) {
        return new RootPublisherOptions(namespace, leaseName, id, leaseDuration, renewDeadline, retryPeriod,
                resyncPeriod);
    }

    public RootPublisherOptions withTimings(Duration lease, Duration renew, Duration retry, Duration resync) {
        return new RootPublisherOptions(namespace, leaseName, identity, lease, renew, retry, resync);
    }

    /** {@code POD_NAME} (set through the downward API), else {@code HOSTNAME}, else the local host name. */
    public static String defaultIdentity() {
        for (String env : new String[] {"POD_NAME", "HOSTNAME"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "meshid-ca-" + ProcessHandle.current().pid();
        }
    }

    private static void requireText(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be empty");
        }
    }
}
