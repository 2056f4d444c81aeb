package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so docker-compose.yml is checked by parsing: every service it
 * names exists, every port it publishes is one the services listen on, and every environment
 * variable it gives the service is a configuration key the service declares.
 */
class ComposeFileTest {
    private static final List<String> APP_SERVICES = List.of("ingest", "detect", "dashboard");
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        try (Reader r = Files.newBufferedReader(RepoFiles.root().resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(r);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String service) {
        Map<String, Object> raw = (Map<String, Object>) services.get(service).get("environment");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        raw.forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static List<String> ports(String service) {
        return (List<String>) services.get(service).getOrDefault("ports", List.of());
    }

    @Test
    void composeRunsKafkaPostgresAndTheServiceOncePerRole() {
        assertThat(services.keySet()).containsExactlyInAnyOrder("kafka", "postgres", "ingest", "detect", "dashboard");
        Set<String> roles = new HashSet<>();
        for (String s : APP_SERVICES) {
            String role = env(s).get("INTERLOCK_ROLES");
            assertThat(role).as("role of compose service %s", s).isEqualTo(s);
            roles.add(role);
        }
        assertThat(roles).containsExactlyInAnyOrderElementsOf(List.of(ConfigKeys.all().get("interlock.roles").split(",")));
        assertThat(env("kafka").get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    }

    @Test
    void everyEnvironmentVariableOfTheServiceIsADeclaredConfigurationKey() {
        for (String s : APP_SERVICES) {
            for (String name : env(s).keySet()) {
                assertThat(ConfigKeys.forEnv(name)).as("%s in compose service %s maps to a declared key", name, s)
                        .isPresent();
            }
        }
    }

    @Test
    void servicesPointAtTheKafkaListenerAndThePostgresDatabaseComposeDefines() {
        String kafkaListeners = env("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        Map<String, String> pg = env("postgres");
        for (String s : APP_SERVICES) {
            Map<String, String> env = env(s);
            assertThat(kafkaListeners).contains("PLAINTEXT://" + env.get("KAFKA_BOOTSTRAP_SERVERS"));
            URI jdbc = URI.create(env.get("QUARKUS_DATASOURCE_JDBC_URL").substring("jdbc:".length()));
            assertThat(jdbc.getHost()).isEqualTo("postgres");
            assertThat(ports("postgres")).contains(jdbc.getPort() + ":5432");
            assertThat(jdbc.getPath()).isEqualTo("/" + pg.get("POSTGRES_DB"));
            assertThat(env.get("QUARKUS_DATASOURCE_USERNAME")).isEqualTo(pg.get("POSTGRES_USER"));
            assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD")).isEqualTo(pg.get("POSTGRES_PASSWORD"));
        }
        assertThat(ports("kafka")).containsExactly("9092:9092");
    }

    @Test
    void dashboardPublishesThePortItsHttpServerListensOn() {
        String port = env("dashboard").getOrDefault("QUARKUS_HTTP_PORT", ConfigKeys.all().get("quarkus.http.port"));
        assertThat(ports("dashboard")).containsExactly("8080:" + port);
        assertThat(ports("ingest")).isEmpty();
        assertThat(ports("detect")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDependencyNamesAComposeService() {
        for (String s : APP_SERVICES) {
            Map<String, Object> deps = (Map<String, Object>) services.get(s).get("depends_on");
            assertThat(services.keySet()).containsAll(deps.keySet());
        }
    }
}
