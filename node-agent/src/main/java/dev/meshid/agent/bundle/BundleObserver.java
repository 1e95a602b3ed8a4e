package dev.meshid.agent.bundle;

/** What the {@link BundleWatcher} reports, for metrics. Methods default to doing nothing. */
public interface BundleObserver {

    /** A new version, {@code bundle}, was applied (SDS, Workload API, files, CA trust). */
    default void onApplied(AppliedBundle bundle) {
    }

    /** A bundle was refused for {@code reason}; the last good one stays. */
    default void onRejected(String reason) {
    }

    BundleObserver NONE = new BundleObserver() {
    };
}
