package dev.meshid.proxy.accesslog;

import dev.meshid.proxy.config.AccessLogTarget;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes access log lines in {@link EnvoyFormat}. Lines are buffered and flushed every second (and on
 * close), so the data path does not pay a system call per request.
 */
public interface AccessLog extends AutoCloseable {

  /** Records one request or TCP connection. */
  void log(AccessLogEntry entry);

  /** Whether lines are written at all; lets the data path skip building entries. */
  boolean enabled();

  @Override
  void close();

  /** The log for {@code target}; the flusher runs on {@code scheduler} (owned by the caller). */
  static AccessLog open(AccessLogTarget target, ScheduledExecutorService scheduler) {
    Writer out;
    try {
      if (target instanceof AccessLogTarget.Off) {
        out = null;
      } else if (target instanceof AccessLogTarget.File f) {
        out = Files.newBufferedWriter(f.path(), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      } else {
        out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access log " + target + ": " + e.getMessage(), e);
    }
    if (out == null) {
      return Off.INSTANCE;
    }
    WriterLog log = new WriterLog(new BufferedWriter(out, 64 * 1024), !(target instanceof AccessLogTarget.Stdout));
    scheduler.scheduleWithFixedDelay(log::flush, 1, 1, TimeUnit.SECONDS);
    return log;
  }

  /** No access log. */
  enum Off implements AccessLog {
    INSTANCE;

    @Override
    public void log(AccessLogEntry entry) {}

    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public void close() {}
  }

  /** Lines into a buffered writer. */
  final class WriterLog implements AccessLog {
    private final BufferedWriter out;
    private final boolean closeUnderlying;
    private boolean failed;

    WriterLog(BufferedWriter out, boolean closeUnderlying) {
      this.out = out;
      this.closeUnderlying = closeUnderlying;
    }

    @Override
    public synchronized void log(AccessLogEntry entry) {
      try {
        out.write(EnvoyFormat.format(entry));
      } catch (IOException e) {
        failedOnce(e);
      }
    }

    @Override
    public boolean enabled() {
      return true;
    }

    synchronized void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        failedOnce(e);
      }
    }

    @Override
    public synchronized void close() {
      flush();
      if (closeUnderlying) {
        try {
          out.close();
        } catch (IOException e) {
          failedOnce(e);
        }
      }
    }

    private void failedOnce(IOException e) {
      if (!failed) {
        failed = true;
        org.slf4j.LoggerFactory.getLogger(AccessLog.class).warn("access log write failed: {}", e.getMessage());
      }
    }
  }
}
