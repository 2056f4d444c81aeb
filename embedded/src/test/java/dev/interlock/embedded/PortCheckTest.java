package dev.interlock.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortCheckTest {
    @TempDir
    Path dir;

    @Test
    void aBusyPortFailsStartUpNamingThePortAndTheKeyToChange() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dir, port, "interlock"))
                    .isInstanceOf(EmbeddedServiceException.class)
                    .hasMessage("Port " + port + " for the embedded PostgreSQL is already in use; stop whatever holds "
                            + "it or set interlock.embedded.postgres.port to a free port");
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dir, port, PortCheck.freePort()))
                    .hasMessageContaining("Port " + port + " for the embedded Kafka broker is already in use")
                    .hasMessageContaining("interlock.embedded.kafka.port");
        }
    }

    @Test
    void freePortNeverHandsOutTheSamePortTwiceInOneJvm() {
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) {
            assertThat(ports.add(PortCheck.freePort())).as("port %d handed out again", i).isTrue();
        }
    }
}
