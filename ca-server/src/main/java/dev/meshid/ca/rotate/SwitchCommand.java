package dev.meshid.ca.rotate;

import dev.meshid.ca.rotation.RotationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Step 2: sign with the new intermediate, keeping the union bundle. */
@Command(name = "switch", mixinStandardHelpOptions = true,
        header = "Switch signing to a new intermediate whose root is already in the bundle.")
final class SwitchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOptions where;
    @Option(names = "--from", paramLabel = "NEWDIR", required = true,
            description = "Directory with the new ca-cert.pem, ca-key.pem and cert-chain.pem (or tls.crt, tls.key).")
    Path from;
    @Option(names = "--ca-http", paramLabel = "HOST:PORT",
            description = "The CA's HTTP port, to check that every connected agent acked the new root.")
    String caHttp;
    @Option(names = "--force", description = "Switch even if agents have not acked the new root (warns).")
    boolean force;

    private final Clock clock;

    SwitchCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        return StepRunner.run(spec, where, clock, current -> {
            Optional<RotationReport> report = caHttp == null ? Optional.empty() : Optional.of(CaHttp.report(caHttp));
            return RotationSteps.switchSigner(current, readDir(from), report, force, clock.instant(),
                    w -> spec.commandLine().getErr().println(w));
        }, "switched signing to the new CA; next: once 'meshid ca rotate status' shows the old root is safe to "
                + "remove, 'meshid ca rotate remove-root'");
    }

    static Map<String, String> readDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("--from " + dir + " is not a directory; pass the directory with the new signing CA");
        }
        Map<String, String> files = new TreeMap<>();
        for (String name : dev.meshid.pki.bundle.PluginForm.allFileNames()) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                files.put(name, Files.readString(p, StandardCharsets.US_ASCII));
            }
        }
        return files;
    }
}
