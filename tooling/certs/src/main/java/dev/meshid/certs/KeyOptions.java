package dev.meshid.certs;

import dev.meshid.pki.crypto.KeyAlgorithm;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --key-alg} and {@code --key-size}, mixed into the commands that generate a key. Each command
 * supplies its own default: RSA 4096 for CAs (Istio's choice, so the Makefile is a drop-in), EC P-256 for
 * workloads. Giving only {@code --key-alg} picks that family's default size; giving only {@code --key-size}
 * keeps the command's default family.
 */
public final class KeyOptions {
    @Option(names = "--key-alg", paramLabel = "rsa|ec",
            description = "Key algorithm: rsa or ec. Default: rsa 4096 for root-ca and intermediate (as Istio),"
                    + " ec 256 for workload. ec is much faster to generate and to sign with.")
    String family;

    @Option(names = "--key-size", paramLabel = "N",
            description = "Key size in bits: RSA 2048, 3072 or 4096 (default 4096 for CAs, 2048 for workloads);"
                    + " EC 256 or 384 (default 256).")
    Integer size;

    /** The algorithm the options select, or a usage error naming the option, the value and what is valid. */
    KeyAlgorithm resolve(CommandSpec spec, KeyAlgorithm defaultAlgorithm, int defaultRsaBits) {
        String f = family == null ? defaultAlgorithm.family() : family.trim().toUpperCase(Locale.ROOT);
        if (!f.equals("RSA") && !f.equals("EC")) {
            throw Usage.invalid(spec, "--key-alg", family, "valid: rsa, ec");
        }
        int bits;
        if (size != null) {
            bits = size;
        } else if (f.equals(defaultAlgorithm.family())) {
            bits = defaultAlgorithm.bits();
        } else {
            bits = f.equals("RSA") ? defaultRsaBits : KeyAlgorithm.EC_P256.bits();
        }
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            if (a.family().equals(f) && a.bits() == bits) {
                return a;
            }
        }
        String valid = Arrays.stream(KeyAlgorithm.values()).filter(a -> a.family().equals(f))
                .map(a -> String.valueOf(a.bits())).collect(Collectors.joining(", "));
        throw Usage.invalid(spec, "--key-size", bits, "valid for --key-alg " + f.toLowerCase(Locale.ROOT)
                + ": " + valid);
    }
}
