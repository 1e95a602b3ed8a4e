package dev.meshid.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on loopback for the children, which take their addresses as flags. */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * {@code n} distinct ports that were free a moment ago (all held open together, so none is handed out twice;
     * another program could still take one before a child binds it, which the child then reports).
     */
    public static List<Integer> pick(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                s.setReuseAddress(true);
                held.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
