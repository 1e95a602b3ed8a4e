package dev.meshid.proxy.bench;

import dev.meshid.sds.secret.InMemorySecretSource;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import dev.meshid.sds.server.SdsServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Plays the agent for proxy/bench/proxy-bench.sh: serves {@code default} and {@code ROOTCA} from PEM files
 * over SDS on a Unix socket until killed. Usage: {@code BenchAgent SOCKET CERT.pem KEY.pem ROOT.pem}.
 */
public final class BenchAgent {
  private BenchAgent() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: BenchAgent SOCKET CERT.pem KEY.pem ROOT.pem");
      System.exit(2);
    }
    InMemorySecretSource secrets = InMemorySecretSource.forWorkload();
    secrets.putTrustBundle(new TrustBundle(Files.readAllBytes(Path.of(args[3]))));
    secrets.putCertificate(new TlsCertificate(Files.readAllBytes(Path.of(args[1])), Files.readAllBytes(Path.of(args[2]))));
    try (SdsServer server = SdsServer.builder(secrets).unixSocket(Path.of(args[0])).start()) {
      System.out.println("bench agent serving on " + args[0]);
      Thread.currentThread().join();
    }
  }
}
