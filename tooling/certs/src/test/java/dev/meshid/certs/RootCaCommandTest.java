package dev.meshid.certs;

import static dev.meshid.certs.CertsRun.cert;
import static dev.meshid.certs.CertsRun.mode;
import static dev.meshid.certs.CertsRun.ok;
import static dev.meshid.certs.CertsRun.opensslText;
import static dev.meshid.certs.CertsRun.opensslVerify;
import static dev.meshid.certs.CertsRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RootCaCommandTest {
    private final FakeClock clock = FakeClock.startingNow();

    @TempDir
    Path tmp;

    @Test
    void rootCa_ecKey_writesKeyAndSelfSignedCaThatOpensslAccepts() throws Exception {
        Path out = tmp.resolve("new/root");

        CertsRun.Result r = ok(clock, "root-ca", "--out", out, "--key-alg", "ec", "--days", "30", "--org", "Acme",
                "--cn", "Acme Root");

        Path certFile = out.resolve("root-cert.pem");
        Path keyFile = out.resolve("root-key.pem");
        assertThat(r.out()).contains("wrote root CA O=Acme,CN=Acme Root (EC P-256");
        assertThat(mode(keyFile)).isEqualTo("rw-------");
        assertThat(mode(certFile)).isEqualTo("rw-r--r--");
        assertThat(Pem.readPrivateKey(Files.readString(keyFile))).isInstanceOf(ECKey.class);

        X509Certificate root = cert(certFile);
        assertThat(Duration.between(clock.instant(), root.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(30));
        assertThat(opensslVerify(certFile, List.of(), certFile).output()).contains(": OK");
        String text = opensslText(certFile);
        assertThat(text).contains("Subject: O = Acme, CN = Acme Root", "Issuer: O = Acme, CN = Acme Root");
        assertThat(text).containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE");
        assertThat(text).containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign\\n");
        assertThat(text).contains("ASN1 OID: prime256v1");
    }

    @Test
    void rootCa_defaultSubjectAndValidity_matchIstiosMakefile() throws Exception {
        // RSA 4096 is the default key (checked in KeyOptionsTest and the Makefile test); EC keeps this test fast.
        ok(clock, "root-ca", "--out", tmp, "--key-alg", "ec");

        X509Certificate root = cert(tmp.resolve("root-cert.pem"));
        assertThat(opensslText(tmp.resolve("root-cert.pem"))).contains("Subject: O = Istio, CN = Root CA");
        assertThat(Duration.between(clock.instant(), root.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(3650));
    }

    @Test
    void rootCa_existingKey_isKeptUnlessForced() throws Exception {
        ok(clock, "root-ca", "--out", tmp, "--key-alg", "ec");
        String key = Files.readString(tmp.resolve("root-key.pem"));

        CertsRun.Result refused = run(clock, "root-ca", "--out", tmp, "--key-alg", "ec");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("root-key.pem already exists", "--force").doesNotContain("Exception");
        assertThat(Files.readString(tmp.resolve("root-key.pem"))).isEqualTo(key);

        ok(clock, "root-ca", "--out", tmp, "--key-alg", "ec", "--force");
        assertThat(Files.readString(tmp.resolve("root-key.pem"))).isNotEqualTo(key);
    }

    @ParameterizedTest(name = "{0} -> names {1}")
    @CsvSource(delimiter = '|', value = {
        "--key-alg dsa                | --key-alg  | dsa  | rsa, ec",
        "--key-alg ec --key-size 4096 | --key-size | 4096 | 256, 384",
        "--key-size 1024              | --key-size | 1024 | 2048, 3072, 4096",
        "--days 0                     | --days     | 0    | above 0",
        "--days -3                    | --days     | -3   | above 0",
        "--days ten                   | --days     | ten  | int",
    })
    void rootCa_badValue_exits2NamingSettingValueAndWhatIsValid(String flags, String setting, String value,
            String valid) throws Exception {
        List<Object> args = new java.util.ArrayList<>(List.of("root-ca", "--out", tmp.resolve("r")));
        args.addAll(List.of((Object[]) flags.trim().split(" +")));

        CertsRun.Result r = run(clock, args.toArray());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(setting, value, valid);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void rootCa_withoutOut_exits2NamingTheOption() {
        CertsRun.Result r = run(clock, "root-ca");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--out");
    }
}
