package dev.interlock.ingest.source.boundary;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How one boundary-node source reads one canister's access logs (validated by the factory).
 *
 * @param canister         the canister's principal text
 * @param nodes            the boundary nodes' base URLs ({@code wss://host[:port]}); the stream is {@code <base>/logs/canister/<canister>}
 * @param reconnectInitial first wait before reconnecting to a node
 * @param reconnectMax     longest wait between reconnects
 * @param connectTimeout   time allowed for the WebSocket handshake
 * @param pingInterval     a ping is sent this often; a node silent (no message, no pong) for three intervals is dropped
 *                         and reconnected
 * @param bufferLines      lines held between the sockets and the next poll; more are dropped and counted
 * @param maxLineBytes     longest line accepted; a longer one is quarantined
 * @param reorderWindow    how long a line is held so that lines from all nodes go out in timestamp order
 * @param maxClockSkew     how far a line's timestamp may be ahead of this server's clock
 * @param pollInterval     pause between polls
 * @param maxBatch         most events in one batch
 */
public record BoundaryNodeSettings(
        String canister,
        List<URI> nodes,
        Duration reconnectInitial,
        Duration reconnectMax,
        Duration connectTimeout,
        Duration pingInterval,
        int bufferLines,
        int maxLineBytes,
        Duration reorderWindow,
        Duration maxClockSkew,
        Duration pollInterval,
        int maxBatch) {

    public BoundaryNodeSettings {
        nodes = List.copyOf(nodes);
    }

    /** The stream URL of one node: its base URL followed by {@code /logs/canister/<canister>}. */
    public URI streamUri(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + "/logs/canister/" + canister);
    }

    /** The name a node goes by in events, cursors and status: host[:port] of its URL. */
    public static String nodeName(URI base) {
        return base.getRawAuthority();
    }
}
