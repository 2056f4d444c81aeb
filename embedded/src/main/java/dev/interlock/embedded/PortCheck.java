package dev.interlock.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port helpers: a clear error before a server fails deep inside its start-up on a busy port. */
public final class PortCheck {
    private PortCheck() {
    }

    static void requireFree(String what, int port, String configKey) {
        if (port <= 0) {
            throw new EmbeddedServiceException(what + " needs a fixed port (" + configKey + "), got " + port);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new EmbeddedServiceException("Port " + port + " for the " + what + " is already in use; "
                    + "stop whatever holds it or set " + configKey + " to a free port");
        }
    }

    /** Ports this JVM has handed out already: the OS may offer a port again as soon as its probe socket closes. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port that was free a moment ago, for tests and for choosing ports at start-up; never one this JVM handed out
     * before (a test that asks for an HTTP, a Kafka and a PostgreSQL port gets three different ones).
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new EmbeddedServiceException("No free local port", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new EmbeddedServiceException("No free local port that was not handed out before, in 100 attempts");
    }
}
