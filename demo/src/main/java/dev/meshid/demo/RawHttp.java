package dev.meshid.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on a plain socket, one request per connection. The demo needs to set the
 * {@code Host} header (the outbound proxy routes on it), which the JDK's HTTP clients refuse to do.
 */
public final class RawHttp {
    private static final int MAX_RESPONSE = 1 << 20;

    private RawHttp() {
    }

    /** A response: status code and body text. */
    public record Response(int status, String body) {
        /** {@code 200 {"id":0,...}}, shortened for one line of output. */
        public String summary() {
            String b = body.strip().replace('\n', ' ');
            return status + (b.isEmpty() ? "" : " " + (b.length() > 90 ? b.substring(0, 87) + "..." : b));
        }
    }

    /**
     * Sends {@code method path} with {@code Host: host} to {@code address}.
     *
     * @throws IOException if the connection fails, is closed before a full response, or times out
     */
    public static Response send(InetSocketAddress address, String method, String host, String path, String body,
            Duration timeout) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.connect(address, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: meshid-demo\r\n"
                    + "Accept: */*\r\nConnection: close\r\n"
                    + (content.length > 0 || !"GET".equals(method) ? "Content-Length: " + content.length + "\r\n"
                            + "Content-Type: application/json\r\n" : "")
                    + "\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return parse(s.getInputStream());
        }
    }

    /** Reads one response until the connection closes (we always send {@code Connection: close}). */
    static Response parse(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) != -1; ) {
            buf.write(chunk, 0, n);
            if (buf.size() > MAX_RESPONSE) {
                throw new IOException("response larger than " + MAX_RESPONSE + " bytes");
            }
        }
        String text = buf.toString(StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            throw new IOException("connection closed without a response");
        }
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new IOException("not an HTTP response: " + printable(text));
        }
        String[] status = text.substring(0, text.indexOf("\r\n")).split(" ", 3);
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (RuntimeException e) {
            throw new IOException("bad status line: " + printable(text));
        }
        String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
        byte[] raw = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
        String body = headers.contains("transfer-encoding: chunked") ? dechunk(raw) : new String(raw,
                StandardCharsets.UTF_8);
        return new Response(code, body);
    }

    private static String dechunk(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < s.length()) {
            int eol = s.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(s.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(s, eol + 2, Math.min(s.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
