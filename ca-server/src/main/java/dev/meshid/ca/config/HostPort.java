package dev.meshid.ca.config;

import java.util.Objects;

/**
 * A listen address {@code HOST:PORT}, where an empty host ({@code :15012}) means every interface and an IPv6
 * host is written in brackets ({@code [::1]:15012}). Port 0 asks the system for a free port.
 *
 * @param host the host name or address without brackets; empty for every interface
 * @param port 0 to 65535
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
    }

    /**
     * Parses {@code HOST:PORT}, {@code :PORT} or {@code [IPV6]:PORT}.
     *
     * @throws IllegalArgumentException naming the text and the valid forms
     */
    public static HostPort parse(String text) {
        if (text == null) {
            throw invalid(null, "it is empty");
        }
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(text, "it has no port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw invalid(text, "the IPv6 address is not closed by ]");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw invalid(text, "an IPv6 address must be written in brackets");
        }
        if (host.contains(" ") || host.contains("/")) {
            throw invalid(text, "the host is not a host name or address");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid(text, "the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw invalid(text, "the port is outside 0-65535");
        }
        return new HostPort(host, port);
    }

    /** The host to bind: {@code 0.0.0.0} for every interface. */
    public String bindHost() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\" is not a listen address (" + why
                + "); use HOST:PORT, :PORT or [IPV6]:PORT, e.g. :15012 or 127.0.0.1:15012");
    }
}
