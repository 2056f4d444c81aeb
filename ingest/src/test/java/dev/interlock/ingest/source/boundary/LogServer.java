package dev.interlock.ingest.source.boundary;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * A real WebSocket server standing in for one API boundary node: it answers {@code /logs/canister/<id>} upgrades and
 * sends log lines as binary messages, as {@code ic-boundary} does. What a subscriber gets on connecting is up to the
 * test ({@link OnConnect}); {@link #broadcast} sends a line to everyone subscribed at that moment, like the node's
 * broker.
 */
final class LogServer implements AutoCloseable {
    /** What the server does with the {@code n}-th (1-based) subscriber. */
    interface OnConnect {
        void connected(LogServer server, ServerWebSocket ws, int n);
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final List<ServerWebSocket> open = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    private LogServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Starts on {@code port} (0: any free port) on 127.0.0.1. */
    static LogServer start(Vertx vertx, int port, OnConnect onConnect) {
        HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
        LogServer s = new LogServer(vertx, http);
        http.webSocketHandler(ws -> {
            if (!ws.path().startsWith("/logs/canister/")) {
                ws.reject(404);
                return;
            }
            s.paths.add(ws.path());
            int n = s.connections.incrementAndGet();
            s.open.add(ws);
            ws.closeHandler(v -> s.open.remove(ws));
            ws.exceptionHandler(e -> s.open.remove(ws));
            onConnect.connected(s, ws, n);
        });
        try {
            http.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the log server on port " + port, e);
        }
        return s;
    }

    /** Serves every subscriber the given lines as soon as it connects, then keeps the connection open. */
    static OnConnect replaying(List<String> lines) {
        return (server, ws, n) -> lines.forEach(l -> send(ws, l));
    }

    /** Keeps subscribers connected without sending anything (lines come from {@link #broadcast}). */
    static OnConnect live() {
        return (server, ws, n) -> {
        };
    }

    static void send(ServerWebSocket ws, String line) {
        ws.writeBinaryMessage(Buffer.buffer(line.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends a line to every current subscriber; returns how many got it. */
    int broadcast(String line) {
        open.forEach(ws -> send(ws, line));
        return open.size();
    }

    int port() {
        return server.actualPort();
    }

    /** The base URL the source is configured with. */
    java.net.URI url() {
        return java.net.URI.create("ws://127.0.0.1:" + port());
    }

    int connections() {
        return connections.get();
    }

    int subscribers() {
        return open.size();
    }

    List<String> paths() {
        return List.copyOf(paths);
    }

    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        open.forEach(ws -> ws.close((short) 1001, "going away"));
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closed anyway
        }
    }
}
