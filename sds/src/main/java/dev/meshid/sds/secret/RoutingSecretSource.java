package dev.meshid.sds.secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends {@code file-cert:} and {@code file-root:} names to a {@link FileSecretSource} and every other
 * name to the workload's source, so the SDS server sees a single {@link SecretSource}.
 */
public final class RoutingSecretSource implements SecretSource {

  private final SecretSource workload;
  private final SecretSource files;

  /**
   * @param workload serves {@code default}, {@code ROOTCA} and any other non-file name
   * @param files serves {@code file-cert:} and {@code file-root:} names
   */
  public RoutingSecretSource(SecretSource workload, SecretSource files) {
    this.workload = Objects.requireNonNull(workload, "workload");
    this.files = Objects.requireNonNull(files, "files");
  }

  private SecretSource route(String name) {
    return SecretNames.isFileName(name) ? files : workload;
  }

  @Override
  public void checkServes(String name) {
    route(name).checkServes(name);
  }

  @Override
  public Optional<SecretValue> current(String name) {
    return route(name).current(name);
  }

  @Override
  public Subscription watch(String name, SecretListener listener) {
    return route(name).watch(name, listener);
  }

  @Override
  public List<String> advertisedNames() {
    List<String> names = new ArrayList<>(workload.advertisedNames());
    names.addAll(files.advertisedNames());
    return List.copyOf(names);
  }
}
