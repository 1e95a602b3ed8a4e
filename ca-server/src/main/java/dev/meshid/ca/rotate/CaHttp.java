package dev.meshid.ca.rotate;

import dev.meshid.ca.rotation.RotationJson;
import dev.meshid.ca.rotation.RotationReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads the CA's {@code /debug/rotation} from its HTTP port. */
final class CaHttp {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private CaHttp() {
    }

    /** @param hostPort {@code HOST:PORT} of the CA's HTTP port, or an {@code http(s)://} base URL */
    static RotationReport report(String hostPort) throws IOException {
        String base = hostPort.startsWith("http://") || hostPort.startsWith("https://") ? hostPort : "http://" + hostPort;
        URI uri;
        try {
            uri = URI.create(base.replaceAll("/+$", "") + "/debug/rotation");
        } catch (IllegalArgumentException e) {
            throw new IOException("--ca-http " + hostPort + " is not HOST:PORT or a URL", e);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + uri, e);
        } catch (IOException e) {
            throw new IOException("cannot reach the CA at " + uri + " (" + e + "); check --ca-http (the CA's HTTP "
                    + "port, default 15014)", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException(uri + " answered " + r.statusCode() + ": " + r.body().strip());
        }
        try {
            return RotationJson.read(r.body());
        } catch (IllegalArgumentException e) {
            throw new IOException(uri + ": " + e.getMessage(), e);
        }
    }
}
