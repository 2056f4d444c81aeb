package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StartupConfigTest {
    @Test
    void environmentNamesFollowQuarkusRules() {
        assertThat(StartupConfig.envName("kafka.bootstrap.servers")).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(StartupConfig.envName("interlock.embedded.kafka.controller-port"))
                .isEqualTo("INTERLOCK_EMBEDDED_KAFKA_CONTROLLER_PORT");
    }

    @Test
    void systemPropertiesWinOverTheApplicationPropertiesFile() {
        System.setProperty("interlock.embedded.postgres.port", "25432");
        try {
            assertThat(new StartupConfig().port("interlock.embedded.postgres.port", "15432")).isEqualTo(25432);
        } finally {
            System.clearProperty("interlock.embedded.postgres.port");
        }
        assertThat(new StartupConfig().port("interlock.embedded.postgres.port", "15432")).isEqualTo(15432);
    }

    @Test
    void aPortThatIsNotANumberIsRejectedNamingTheKey() {
        System.setProperty("interlock.embedded.kafka.port", "ninety");
        try {
            assertThatThrownBy(() -> new StartupConfig().port("interlock.embedded.kafka.port", "19092"))
                    .hasMessage("interlock.embedded.kafka.port must be a port number 1..65535, got 'ninety'");
        } finally {
            System.clearProperty("interlock.embedded.kafka.port");
        }
    }

    @Test
    void externalServicesAreDetectedFromTheirKeys() {
        System.setProperty("kafka.bootstrap.servers", "broker:9092");
        try {
            StartupConfig c = new StartupConfig();
            assertThat(c.externalKafka()).isTrue();
        } finally {
            System.clearProperty("kafka.bootstrap.servers");
        }
    }
}
