package dev.meshid.ca.bench;

import java.util.Arrays;

/**
 * Latencies in nanoseconds, appended by one thread at a time (one call slot) and read after the run. Exact
 * percentiles from a sorted copy: a run records at most a few million values, so no histogram is needed.
 */
final class Latencies {
    private long[] values = new long[4096];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** All values of {@code parts}, sorted. */
    static long[] merged(Iterable<Latencies> parts) {
        int n = 0;
        for (Latencies p : parts) {
            n += p.size;
        }
        long[] all = new long[n];
        int at = 0;
        for (Latencies p : parts) {
            System.arraycopy(p.values, 0, all, at, p.size);
            at += p.size;
        }
        Arrays.sort(all);
        return all;
    }

    /** The {@code q}-quantile (0..1) of sorted values in milliseconds, nearest-rank; 0 when empty. */
    static double quantileMillis(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        int index = Math.min(sorted.length - 1, Math.max(0, rank - 1));
        return sorted[index] / 1e6;
    }
}
