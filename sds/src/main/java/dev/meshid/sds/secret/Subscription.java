package dev.meshid.sds.secret;

/** An active watch; closing it stops further notifications. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  @Override
  void close();
}
