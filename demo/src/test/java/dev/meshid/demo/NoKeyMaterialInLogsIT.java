package dev.meshid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.pem.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs the whole demo (CA, two agents, two proxies as child processes, with a forced rotation), keeps its work
 * directory, then reads every private key the run wrote and searches every log of every child, and the demo's
 * own output, for key material: PEM private-key headers, each key's base64 body (whole and a distinctive slice)
 * and its private value in hex. None may appear.
 */
class NoKeyMaterialInLogsIT {

    @Test
    void fullDemoRun_noLogContainsAnyPrivateKeyItWrote() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "mkl");
        try {
            Launcher launcher = new Launcher(Launcher.ofRunningJvm(TestMeshidMain.class.getName()).java(),
                    System.getProperty("java.class.path"), TestMeshidMain.class.getName());
            StringWriter text = new StringWriter();
            int code = new CommandLine(new DemoCommand(launcher)).setOut(new PrintWriter(text, true))
                    .execute("--workdir", dir.toString());
            String demoOutput = text.toString();
            assertThat(code).as(demoOutput).isZero();

            Map<Path, String> logs = new LinkedHashMap<>();
            List<Path> keyFiles = new ArrayList<>();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    String content = readText(p);
                    if (p.getFileName().toString().endsWith(".log")) {
                        logs.put(p, content);
                    } else if (content.contains("PRIVATE KEY-----")) {
                        keyFiles.add(p);
                    }
                }
            }
            logs.put(Path.of("demo output"), demoOutput);
            Map<String, String> needles = new LinkedHashMap<>();
            needles.put("-----BEGIN", "PRIVATE KEY-----");
            for (Path keyFile : keyFiles) {
                needles.putAll(needlesOf(keyFile));
            }

            assertThat(logs.keySet()).as("child logs found").hasSizeGreaterThanOrEqualTo(5);
            assertThat(keyFiles).as("private keys the run wrote").hasSizeGreaterThanOrEqualTo(2);
            for (Map.Entry<Path, String> log : logs.entrySet()) {
                for (Map.Entry<String, String> needle : needles.entrySet()) {
                    assertThat(log.getValue()).as("%s must not contain %s", log.getKey(), needle.getKey())
                            .doesNotContain(needle.getValue());
                }
            }
            System.out.printf("searched %d logs (%d KiB) for %d needles from %d private keys %s: none found%n",
                    logs.size(), logs.values().stream().mapToInt(String::length).sum() / 1024, needles.size(),
                    keyFiles.size(), keyFiles.stream().map(dir::relativize).toList());
        } finally {
            deleteTree(dir);
        }
    }

    /** What would betray the key in {@code file}: its base64 body, a slice of it, its private value in hex. */
    private static Map<String, String> needlesOf(Path file) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        for (PemObject block : Pem.blocks(pem)) {
            if (!block.getType().endsWith("PRIVATE KEY")) {
                continue;
            }
            String body = Base64.getEncoder().encodeToString(block.getContent());
            out.put(file + " base64 body", body);
            out.put(file + " base64 slice", body.substring(body.length() / 2, body.length() / 2 + 24));
            out.put(file + " first PEM line", pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow());
        }
        PrivateKey key = Pem.readPrivateKey(pem);
        String secret = key instanceof ECPrivateKey ec ? ec.getS().toString(16)
                : ((RSAPrivateKey) key).getPrivateExponent().toString(16);
        out.put(file + " private value (hex)", secret.substring(0, Math.min(32, secret.length())));
        out.put(file + " PKCS#8 base64", Base64.getEncoder().encodeToString(key.getEncoded()));
        return out;
    }

    private static String readText(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
