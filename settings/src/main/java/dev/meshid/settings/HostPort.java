package dev.meshid.settings;

import java.util.Objects;

/**
 * An address {@code HOST:PORT} as the programs' settings take it. An IPv6 host is written in brackets
 * ({@code [::1]:15012}) so that its colons are not mistaken for the port's. A listen address may leave the host
 * empty ({@code :15012}) to mean every interface; an address to connect to may not. Port 0 asks the system for a
 * free port when binding.
 *
 * @param host the host name or address without brackets; empty for every interface
 * @param port 0 to 65535
 */
public record HostPort(String host, int port) {

    /** The host {@link #bindHost()} gives for an empty one. */
    public static final String EVERY_INTERFACE = "0.0.0.0";

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
    }

    /**
     * Parses an address to connect to: {@code HOST:PORT} or {@code [IPV6]:PORT}; the host is required.
     *
     * @throws IllegalArgumentException naming the text, what was wrong and the valid forms
     */
    public static HostPort parse(String text) {
        HostPort parsed = parse(text, false);
        if (parsed.host.isEmpty()) {
            throw invalid(text, "the host is empty", false);
        }
        return parsed;
    }

    /**
     * Parses a listen address: {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code :PORT}, the last with an empty host
     * for every interface.
     *
     * @throws IllegalArgumentException naming the text, what was wrong and the valid forms
     */
    public static HostPort parseListen(String text) {
        return parse(text, true);
    }

    private static HostPort parse(String text, boolean listen) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty", listen);
        }
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0 || s.startsWith("[") && s.endsWith("]")) {
            throw invalid(text, "it has no port", listen);
        }
        String host = s.substring(0, colon);
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
            throw invalid(text, "the host is not a host name or address", listen);
        }
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw invalid(text, "the IPv6 address is not closed by ]", listen);
            }
            host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) {
                throw invalid(text, "the brackets hold no address", listen);
            }
        } else if (host.contains(":")) {
            throw invalid(text, "an IPv6 address must be written in brackets", listen);
        }
        if (host.contains("[") || host.contains("]")) {
            throw invalid(text, "the host is not a host name or address", listen);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid(text, "the port is not a number", listen);
        }
        if (port < 0 || port > 65535) {
            throw invalid(text, "the port is outside 0-65535", listen);
        }
        return new HostPort(host, port);
    }

    /** The host to bind: {@value #EVERY_INTERFACE} for an empty host, else the host. */
    public String bindHost() {
        return host.isEmpty() ? EVERY_INTERFACE : host;
    }

    /** {@code HOST:PORT}, the host in brackets when it is an IPv6 address; parses back to an equal value. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static IllegalArgumentException invalid(String text, String why, boolean listen) {
        return new IllegalArgumentException("\"" + text + "\" is not an address (" + why + "); use HOST:PORT or "
                + "[IPV6]:PORT" + (listen ? " (or :PORT for every interface)" : "") + ", e.g. 127.0.0.1:15012");
    }
}
