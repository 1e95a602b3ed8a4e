package dev.meshid.pki.csr;

/**
 * Structural limits applied to a CSR before anything in it is parsed, so that junk is refused cheaply.
 *
 * @param maxPemBytes largest PEM text accepted, in bytes (UTF-8)
 * @param maxSans largest number of subject alternative names of all types together
 */
public record CsrLimits(int maxPemBytes, int maxSans) {
    /** 64 KiB of PEM and 100 SANs: far above any real workload CSR (about 1 KiB with one SAN). */
    public static final CsrLimits DEFAULT = new CsrLimits(64 * 1024, 100);

    public CsrLimits {
        if (maxPemBytes < 256) {
            throw new IllegalArgumentException("maxPemBytes must be at least 256, got " + maxPemBytes);
        }
        if (maxSans < 1) {
            throw new IllegalArgumentException("maxSans must be at least 1, got " + maxSans);
        }
    }
}
