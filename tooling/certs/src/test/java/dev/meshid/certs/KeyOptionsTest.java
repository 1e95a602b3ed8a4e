package dev.meshid.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.crypto.KeyAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

class KeyOptionsTest {
    @Command(name = "holder")
    static final class Holder {
        @Spec
        CommandSpec spec;

        @Mixin
        KeyOptions key;
    }

    private static KeyAlgorithm resolve(String args, KeyAlgorithm defaultAlgorithm, int defaultRsaBits) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args.isBlank() ? new String[0] : args.trim().split(" +"));
        return h.key.resolve(h.spec, defaultAlgorithm, defaultRsaBits);
    }

    @ParameterizedTest(name = "CA defaults, \"{0}\" -> {1}")
    @CsvSource({
        "'',                          RSA_4096",
        "--key-alg rsa,               RSA_4096",
        "--key-alg RSA,               RSA_4096",
        "--key-alg ec,                EC_P256",
        "--key-alg ec --key-size 384, EC_P384",
        "--key-size 2048,             RSA_2048",
        "--key-size 3072,             RSA_3072",
    })
    void resolve_caDefaults_rsa4096UnlessAsked(String args, KeyAlgorithm expected) {
        assertThat(resolve(args, KeyAlgorithm.RSA_4096, 4096)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "workload defaults, \"{0}\" -> {1}")
    @CsvSource({
        "'',                EC_P256",
        "--key-alg rsa,     RSA_2048",
        "--key-size 384,    EC_P384",
        "--key-alg rsa --key-size 3072, RSA_3072",
    })
    void resolve_workloadDefaults_ecP256AndRsa2048(String args, KeyAlgorithm expected) {
        assertThat(resolve(args, KeyAlgorithm.EC_P256, 2048)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is refused naming {1}")
    @CsvSource({
        "--key-alg dsa,                --key-alg",
        "--key-alg ec --key-size 4096, --key-size",
        "--key-alg rsa --key-size 256, --key-size",
        "--key-size 521,               --key-size",
    })
    void resolve_invalidCombination_isAUsageErrorNamingTheSetting(String args, String setting) {
        assertThatThrownBy(() -> resolve(args, KeyAlgorithm.RSA_4096, 4096))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith(setting + ": invalid value")
                .hasMessageContaining("valid");
    }
}
