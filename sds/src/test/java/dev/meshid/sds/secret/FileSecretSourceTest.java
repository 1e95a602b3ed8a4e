package dev.meshid.sds.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.sds.testing.FakeScheduler;
import dev.meshid.sds.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretSourceTest {

  @TempDir
  Path dir;

  @Test
  void scheduledPoll_notifiesWatchers_whenTimeAdvances() throws Exception {
    Path root = Files.write(dir.resolve("root.pem"), TestSecrets.pem("a-cert.pem"));
    String name = "file-root:" + root;
    FakeScheduler scheduler = new FakeScheduler();
    FileSecretSource files = new FileSecretSource(List.of());
    files.checkServes(name);
    List<SecretValue> seen = new ArrayList<>();
    files.watch(name, (n, value) -> seen.add(value));
    files.start(scheduler, Duration.ofSeconds(1));

    Files.write(root, TestSecrets.pem("b-cert.pem"));
    scheduler.advance(Duration.ofMillis(999));
    assertThat(seen).isEmpty();
    scheduler.advance(Duration.ofMillis(1));

    assertThat(seen).containsExactly(TestSecrets.bundle("b"));
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(seen).hasSize(1);
  }

  @Test
  void close_stopsPolling() throws Exception {
    Path root = Files.write(dir.resolve("root.pem"), TestSecrets.pem("a-cert.pem"));
    String name = "file-root:" + root;
    FakeScheduler scheduler = new FakeScheduler();
    FileSecretSource files = new FileSecretSource(List.of());
    files.checkServes(name);
    List<SecretValue> seen = new ArrayList<>();
    files.watch(name, (n, value) -> seen.add(value));
    files.start(scheduler, Duration.ofSeconds(1));

    files.close();
    Files.write(root, TestSecrets.pem("b-cert.pem"));
    scheduler.advance(Duration.ofSeconds(10));

    assertThat(seen).isEmpty();
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void unwatchedName_isRefreshedByPoll_soALaterSubscriberGetsTheNewValue() throws Exception {
    Path root = Files.write(dir.resolve("root.pem"), TestSecrets.pem("a-cert.pem"));
    String name = "file-root:" + root;
    FileSecretSource files = new FileSecretSource(List.of());
    files.checkServes(name);

    Files.write(root, TestSecrets.pem("c-cert.pem"));
    files.poll();

    assertThat(files.current(name)).contains(TestSecrets.bundle("c"));
  }

  @Test
  void relativePaths_areRefused() {
    FileSecretSource files = new FileSecretSource(List.of());

    assertThatThrownBy(() -> files.checkServes("file-root:relative/root.pem"))
        .isInstanceOf(UnknownSecretException.class).hasMessageContaining("absolute");
  }

  @Test
  void dotDotEscapes_areNormalisedBeforeTheDirectoryCheck() throws Exception {
    Path allowed = Files.createDirectories(dir.resolve("allowed"));
    Files.write(dir.resolve("secret.pem"), TestSecrets.pem("a-cert.pem"));
    FileSecretSource files = new FileSecretSource(List.of(allowed));

    assertThatThrownBy(() -> files.checkServes("file-root:" + allowed + "/../secret.pem"))
        .isInstanceOf(UnknownSecretException.class).hasMessageContaining("outside");
  }
}
