package dev.meshid.testing.k8s;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The child's two output streams: stderr into a log file, stdout for the one announcement line. */
final class ChildLog {

    /** Overrides where the logs go. */
    static final String LOG_DIR_PROPERTY = "meshid.k8s.mock.logDir";

    private static final int TAIL_LINES = 30;

    private ChildLog() {
    }

    static Path create() {
        try {
            Path dir = logDir();
            Files.createDirectories(dir);
            return Files.createTempFile(dir, "mock-api-server-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log file for the mock API server", e);
        }
    }

    private static Path logDir() {
        String configured = System.getProperty(LOG_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        // Surefire runs in the module's directory: keep the logs with the build's other reports.
        Path target = Path.of("target");
        return Files.isDirectory(target) ? target.resolve("k8s-mock") : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Reads the child's stdout on a daemon thread: completes with the rest of the first line that starts
     * with {@code prefix}, or exceptionally if stdout ends first; then keeps draining so the child never
     * blocks on a full pipe.
     */
    static CompletableFuture<String> readAnnouncement(Process process, String prefix) {
        CompletableFuture<String> announced = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!announced.isDone() && line.startsWith(prefix)) {
                        announced.complete(line.substring(prefix.length()).strip());
                    }
                }
            } catch (IOException e) {
                announced.completeExceptionally(e);
            }
            announced.completeExceptionally(new IllegalStateException("stdout closed without " + prefix));
        }, "mock-api-server-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        return announced;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
