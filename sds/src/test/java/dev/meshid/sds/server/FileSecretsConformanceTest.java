package dev.meshid.sds.server;

import static dev.meshid.sds.secret.SecretNames.DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.sds.secret.FileSecretSource;
import dev.meshid.sds.secret.RoutingSecretSource;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.testing.Requests;
import dev.meshid.sds.testing.Responses;
import dev.meshid.sds.testing.TestSecrets;
import dev.meshid.sds.testing.UnixSocketServerFixture;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * file-cert and file-root over a real Unix socket. The poller is driven by calling
 * {@link FileSecretSource#poll()}, which is what its scheduler would do.
 */
class FileSecretsConformanceTest extends UnixSocketServerFixture {

  private FileSecretSource files;
  private Path certsDir;
  private String fileCert;
  private String fileRoot;

  @Override
  protected SecretSource source() throws Exception {
    certsDir = Files.createDirectories(tempDir.resolve("certs"));
    write("cert.pem", TestSecrets.pem("a-cert.pem"));
    write("key.pem", TestSecrets.pem("a-key.pem"));
    write("root.pem", TestSecrets.pem("a-cert.pem"));
    files = new FileSecretSource(List.of(certsDir));
    return new RoutingSecretSource(secrets, files);
  }

  @BeforeEach
  void names() {
    fileCert = "file-cert:" + certsDir.resolve("cert.pem") + "~" + certsDir.resolve("key.pem");
    fileRoot = "file-root:" + certsDir.resolve("root.pem");
  }

  private void write(String file, byte[] content) throws Exception {
    Path tmp = certsDir.resolve(file + ".tmp");
    Files.write(tmp, content);
    Files.move(tmp, certsDir.resolve(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void fileCertAndFileRoot_areServedFromDisk_nextToWorkloadSecrets() {
    DiscoveryResponse response = openStream().send(Requests.initial(fileCert, fileRoot, DEFAULT)).next();

    assertThat(Responses.values(response)).containsExactly(
        Map.entry(fileCert, TestSecrets.cert("a")),
        Map.entry(fileRoot, TestSecrets.bundle("a")),
        Map.entry(DEFAULT, TestSecrets.cert("a")));
  }

  @Test
  void fileCert_followsAChangeOnDisk() throws Exception {
    var stream = openStream();
    DiscoveryResponse first = stream.send(Requests.initial(fileCert)).next();
    stream.send(Requests.ack(first, fileCert));

    write("key.pem", TestSecrets.pem("b-key.pem"));
    write("cert.pem", TestSecrets.pem("b-cert.pem"));
    files.poll();

    DiscoveryResponse push = stream.next();
    assertThat(Responses.values(push)).containsExactly(Map.entry(fileCert, TestSecrets.cert("b")));
    assertThat(push.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
  }

  @Test
  void fileRoot_followsAChangeOnDisk() throws Exception {
    var stream = openStream();
    stream.send(Requests.initial(fileRoot)).next();

    write("root.pem", TestSecrets.bundle("a", "c").rootsPem());
    files.poll();

    assertThat(Responses.values(stream.next())).containsExactly(Map.entry(fileRoot, TestSecrets.bundle("a", "c")));
  }

  @Test
  void brokenFileDuringAPoll_keepsTheLastValue_andIsPickedUpWhenFixed() throws Exception {
    var stream = openStream();
    stream.send(Requests.initial(fileRoot)).next();

    write("root.pem", "-----BEGIN CERTIFICATE-----\nhalf".getBytes());
    files.poll();
    assertThat(files.current(fileRoot)).contains(TestSecrets.bundle("a"));
    write("root.pem", TestSecrets.pem("b-cert.pem"));
    files.poll();

    assertThat(Responses.values(stream.next())).containsExactly(Map.entry(fileRoot, TestSecrets.bundle("b")));
  }

  @Test
  void missingFile_closesStreamWithNotFound_namingTheFile() {
    String missing = "file-root:" + certsDir.resolve("nope.pem");

    Status status = openStream().send(Requests.initial(missing)).awaitError();

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("nope.pem");
  }

  @Test
  void fileOutsideTheAllowedDirectories_isRefused() {
    Status status = openStream().send(Requests.initial("file-root:/etc/ssl/certs/ca-certificates.crt"))
        .awaitError();

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("outside the allowed directories");
  }

  @Test
  void malformedFileName_isRefusedWithTheExpectedForms() {
    Status status = openStream().send(Requests.initial("file-cert:/only/one/path")).awaitError();

    assertThat(status.getDescription()).contains("file-cert:<cert-path>~<key-path>");
  }
}
