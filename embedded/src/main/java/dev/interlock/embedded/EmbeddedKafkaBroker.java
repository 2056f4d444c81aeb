package dev.interlock.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM.
 *
 * <p>Its storage lives under {@code <dataDir>/kafka} and is formatted only once, so topics,
 * committed offsets and transactions survive a restart. A single node cannot replicate, so
 * the internal topics' replication factor and the transaction log's min ISR are set to 1:
 * without that, transactional producers and exactly-once Kafka Streams never become ready.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
    }

    /**
     * Starts a broker whose client listener is {@code localhost:port} and whose controller
     * listener is {@code localhost:controllerPort}; both ports must be free.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort) {
        long started = System.nanoTime();
        Path logDir = dataDir.resolve("kafka").toAbsolutePath();
        PortCheck.requireFree("embedded Kafka broker", port, "interlock.embedded.kafka.port");
        PortCheck.requireFree("embedded Kafka controller", controllerPort, "interlock.embedded.kafka.controller-port");
        try {
            Files.createDirectories(logDir);
            Properties props = brokerProperties(logDir, port, controllerPort);
            KafkaConfig config = new KafkaConfig(props, false);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(logDir);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "localhost:" + port;
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, bootstrap, logDir);
            broker.awaitReady(Duration.ofSeconds(60));
            LOG.infof("Embedded Kafka broker ready at %s (data %s) in %d ms", bootstrap, logDir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return broker;
        } catch (IOException e) {
            throw new EmbeddedServiceException("Cannot prepare the embedded Kafka data directory " + logDir, e);
        } catch (EmbeddedServiceException e) {
            throw e;
        } catch (Exception e) {
            throw new EmbeddedServiceException("The embedded Kafka broker failed to start (data " + logDir + "): "
                    + e.getMessage(), e);
        }
    }

    static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica, or transactions and EOS never start.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        // A lone consumer group member should not wait 3 s for others to join.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created explicitly with their intended partitions and configs.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("log.retention.hours", String.valueOf(24 * 7));
        return p;
    }

    private static void format(Path logDir) throws Exception {
        String clusterId = Uuid.randomUuid().toString();
        LOG.infof("Formatting embedded Kafka storage in %s (cluster id %s)", logDir, clusterId);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setUnstableFeatureVersionsEnabled(false)
                .run();
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new EmbeddedServiceException("The embedded Kafka broker did not become ready within " + timeout
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        LOG.info("Stopping the embedded Kafka broker");
        server.shutdown();
        server.awaitShutdown();
    }
}
