package dev.meshid.sds.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.sds.testing.TestSecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemorySecretSourceTest {

  private final InMemorySecretSource source = InMemorySecretSource.forWorkload();

  @Test
  void put_notifiesWatchersOfThatName_only() {
    List<String> seen = new ArrayList<>();
    source.watch(SecretNames.DEFAULT, (name, value) -> seen.add(name + "=" + value));

    source.putTrustBundle(TestSecrets.bundle("a"));
    source.putCertificate(TestSecrets.cert("a"));

    assertThat(seen).hasSize(1).first().asString().startsWith("default=TlsCertificate");
    assertThat(source.current(SecretNames.DEFAULT)).contains(TestSecrets.cert("a"));
  }

  @Test
  void closedSubscription_isNotNotified() {
    List<SecretValue> seen = new ArrayList<>();
    Subscription subscription = source.watch(SecretNames.ROOTCA, (name, value) -> seen.add(value));

    subscription.close();
    subscription.close();
    source.putTrustBundle(TestSecrets.bundle("a"));

    assertThat(seen).isEmpty();
    assertThat(source.watcherCount(SecretNames.ROOTCA)).isZero();
  }

  @Test
  void failingListener_doesNotStopTheOthers() {
    List<SecretValue> seen = new ArrayList<>();
    source.watch(SecretNames.ROOTCA, (name, value) -> {
      throw new IllegalStateException("boom");
    });
    source.watch(SecretNames.ROOTCA, (name, value) -> seen.add(value));

    source.putTrustBundle(TestSecrets.bundle("b"));

    assertThat(seen).containsExactly(TestSecrets.bundle("b"));
  }

  @Test
  void unservedName_isUnknown_andCannotBePut() {
    assertThatThrownBy(() -> source.checkServes("other")).isInstanceOf(UnknownSecretException.class)
        .hasMessageContaining("'other'");
    assertThatThrownBy(() -> source.put("other", TestSecrets.bundle("a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(source.advertisedNames()).containsExactly("ROOTCA", "default");
  }

  @Test
  void servedNameWithoutValue_isServed_butEmpty() {
    InMemorySecretSource custom = new InMemorySecretSource(Set.of("spiffe-bundle"));

    custom.checkServes("spiffe-bundle");

    assertThat(custom.current("spiffe-bundle")).isEmpty();
  }
}
