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

    /** A port that was free a moment ago, for tests and for choosing ports at start-up. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedServiceException("No free local port", e);
        }
    }
}
